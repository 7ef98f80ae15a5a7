// Tensor.LiveCount, resident memory and libtorch's global seed and thread count are process-wide: tests run one at a
// time so that each can reason about them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

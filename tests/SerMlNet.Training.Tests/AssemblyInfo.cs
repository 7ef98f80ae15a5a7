// libtorch's random generator and thread count are process-wide: tests that train must not run concurrently, or
// their seeded results would interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

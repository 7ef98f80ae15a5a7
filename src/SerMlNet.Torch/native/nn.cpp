// Functional neural-network operations (autograd-recorded): convolution, normalisation, activations, pooling,
// dropout, linear layers and losses. Paired with Interop/NativeMethods.NN.cs.
#include "common.h"

// weight [out, in/groups, kh, kw]; bias optional. stride/padding/dilation are (h, w) pairs.
SER_API SerStatus* ser_conv2d(SerTensor* input, SerTensor* weight, SerTensor* bias, const int64_t* stride,
                              const int64_t* padding, const int64_t* dilation, int64_t groups, SerTensor** result) {
  return ser::guarded([&] {
    *ser::out(result) = ser::wrap(at::conv2d(ser::unwrap(input), ser::unwrap(weight), ser::optional(bias),
                                             ser::ints(stride, 2), ser::ints(padding, 2), ser::ints(dilation, 2),
                                             groups));
  });
}

// In training mode the running statistics (when given) are updated in place with `momentum`.
SER_API SerStatus* ser_batch_norm(SerTensor* input, SerTensor* weight, SerTensor* bias, SerTensor* running_mean,
                                  SerTensor* running_var, int32_t training, double momentum, double eps,
                                  SerTensor** result) {
  return ser::guarded([&] {
    *ser::out(result) = ser::wrap(at::batch_norm(ser::unwrap(input), ser::optional(weight), ser::optional(bias),
                                                 ser::optional(running_mean), ser::optional(running_var),
                                                 training != 0, momentum, eps, /*cudnn_enabled=*/true));
  });
}

SER_API SerStatus* ser_relu(SerTensor* input, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(at::relu(ser::unwrap(input))); });
}

SER_API SerStatus* ser_max_pool2d(SerTensor* input, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, const int64_t* dilation, int32_t ceil_mode,
                                  SerTensor** result) {
  return ser::guarded([&] {
    *ser::out(result) = ser::wrap(at::max_pool2d(ser::unwrap(input), ser::ints(kernel, 2), ser::ints(stride, 2),
                                                 ser::ints(padding, 2), ser::ints(dilation, 2), ceil_mode != 0));
  });
}

SER_API SerStatus* ser_avg_pool2d(SerTensor* input, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad,
                                  SerTensor** result) {
  return ser::guarded([&] {
    *ser::out(result) = ser::wrap(at::avg_pool2d(ser::unwrap(input), ser::ints(kernel, 2), ser::ints(stride, 2),
                                                 ser::ints(padding, 2), ceil_mode != 0, count_include_pad != 0));
  });
}

// [N, C, H, W] -> [N, C]: the mean over H and W.
SER_API SerStatus* ser_global_avg_pool2d(SerTensor* input, SerTensor** result) {
  return ser::guarded([&] {
    const at::Tensor& x = ser::unwrap(input);
    if (x.dim() != 4) {
      throw std::invalid_argument("global_avg_pool2d expects a 4-d input [N, C, H, W], got " +
                                  std::to_string(x.dim()) + " dimensions");
    }
    *ser::out(result) = ser::wrap(at::mean(x, {2, 3}));
  });
}

SER_API SerStatus* ser_dropout(SerTensor* input, double p, int32_t training, SerTensor** result) {
  return ser::guarded([&] {
    *ser::out(result) = ser::wrap(at::dropout(ser::unwrap(input), p, training != 0));
  });
}

// y = x W^T + b; weight [out, in], bias optional [out].
SER_API SerStatus* ser_linear(SerTensor* input, SerTensor* weight, SerTensor* bias, SerTensor** result) {
  return ser::guarded([&] {
    *ser::out(result) = ser::wrap(at::linear(ser::unwrap(input), ser::unwrap(weight), ser::optional(bias)));
  });
}

SER_API SerStatus* ser_softmax(SerTensor* input, int64_t dim, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(at::softmax(ser::unwrap(input), dim)); });
}

SER_API SerStatus* ser_log_softmax(SerTensor* input, int64_t dim, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(at::log_softmax(ser::unwrap(input), dim)); });
}

// logits [N, C], target int64 [N]; weight optional [C]; reduction 0 none, 1 mean, 2 sum.
SER_API SerStatus* ser_cross_entropy(SerTensor* logits, SerTensor* target, SerTensor* weight, int32_t reduction,
                                     int64_t ignore_index, double label_smoothing, SerTensor** result) {
  return ser::guarded([&] {
    if (reduction < 0 || reduction > 2) {
      throw std::invalid_argument("unknown reduction code " + std::to_string(reduction));
    }
    *ser::out(result) = ser::wrap(at::cross_entropy_loss(ser::unwrap(logits), ser::unwrap(target),
                                                         ser::optional(weight), reduction, ignore_index,
                                                         label_smoothing));
  });
}

// Elementwise arithmetic, reductions, reshaping and argmax (all recorded by autograd where differentiable).
// Paired with Interop/NativeMethods.TensorOps.cs.
#include "common.h"

namespace {

// Binary operation codes shared with C# (TensorOps.Binary): 0 add, 1 sub, 2 mul, 3 div, 4 pow, 5 eq.
// B is at::Tensor (tensor op tensor) or double (tensor op scalar).
template <class B>
at::Tensor binary(const at::Tensor& a, const B& b, int32_t op) {
  switch (op) {
    case 0: return at::add(a, b);
    case 1: return at::sub(a, b);
    case 2: return at::mul(a, b);
    case 3: return at::div(a, b);
    case 4: return at::pow(a, b);
    case 5: return at::eq(a, b);
  }
  throw std::invalid_argument("unknown binary operation code " + std::to_string(op));
}

// Unary operation codes shared with C# (TensorOps.Unary): 0 neg, 1 exp, 2 log, 3 sqrt, 4 abs, 5 square, 6 tanh, 7 sigmoid.
at::Tensor unary(const at::Tensor& a, int32_t op) {
  switch (op) {
    case 0: return at::neg(a);
    case 1: return at::exp(a);
    case 2: return at::log(a);
    case 3: return at::sqrt(a);
    case 4: return at::abs(a);
    case 5: return at::square(a);
    case 6: return at::tanh(a);
    case 7: return at::sigmoid(a);
  }
  throw std::invalid_argument("unknown unary operation code " + std::to_string(op));
}

}  // namespace

// a (op) b elementwise with broadcasting.
SER_API SerStatus* ser_tensor_binary(SerTensor* a, SerTensor* b, int32_t op, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(binary(ser::unwrap(a), ser::unwrap(b), op)); });
}

// a (op) scalar elementwise.
SER_API SerStatus* ser_tensor_binary_scalar(SerTensor* a, double b, int32_t op, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(binary(ser::unwrap(a), b, op)); });
}

// scalar - a and scalar / a (op 1 and 3), for the reversed operators.
SER_API SerStatus* ser_tensor_scalar_binary(double a, SerTensor* b, int32_t op, SerTensor** result) {
  return ser::guarded([&] {
    ser::out(result);
    const at::Tensor& tensor = ser::unwrap(b);
    if (op == 1) {
      *result = ser::wrap(at::rsub(tensor, a));
    } else if (op == 3) {
      *result = ser::wrap(at::mul(at::reciprocal(tensor), a));
    } else {
      throw std::invalid_argument("reversed scalar operation must be sub (1) or div (3)");
    }
  });
}

SER_API SerStatus* ser_tensor_unary(SerTensor* a, int32_t op, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(unary(ser::unwrap(a), op)); });
}

// kind 0 = sum, 1 = mean; over all elements when ndims == 0, else over `dims`.
SER_API SerStatus* ser_tensor_reduce(SerTensor* a, int32_t kind, const int64_t* dims, int32_t ndims, int32_t keepdim,
                                     SerTensor** result) {
  return ser::guarded([&] {
    ser::out(result);
    const at::Tensor& tensor = ser::unwrap(a);
    auto axes = ser::ints(dims, ndims);
    if (kind == 0) {
      *result = ser::wrap(ndims == 0 ? at::sum(tensor) : at::sum(tensor, axes, keepdim != 0));
    } else if (kind == 1) {
      *result = ser::wrap(ndims == 0 ? at::mean(tensor) : at::mean(tensor, axes, keepdim != 0));
    } else {
      throw std::invalid_argument("unknown reduction code " + std::to_string(kind));
    }
  });
}

SER_API SerStatus* ser_tensor_matmul(SerTensor* a, SerTensor* b, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(at::matmul(ser::unwrap(a), ser::unwrap(b))); });
}

// Reshape to `shape` (one entry may be -1).
SER_API SerStatus* ser_tensor_reshape(SerTensor* a, const int64_t* shape, int32_t ndim, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(at::reshape(ser::unwrap(a), ser::ints(shape, ndim))); });
}

SER_API SerStatus* ser_tensor_flatten(SerTensor* a, int64_t start_dim, int64_t end_dim, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(at::flatten(ser::unwrap(a), start_dim, end_dim)); });
}

SER_API SerStatus* ser_tensor_argmax(SerTensor* a, int64_t dim, int32_t keepdim, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(at::argmax(ser::unwrap(a), dim, keepdim != 0)); });
}

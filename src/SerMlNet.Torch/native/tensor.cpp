// Tensor lifetime, creation from and copying to caller memory, metadata, devices and autograd state.
// Paired with Interop/NativeMethods.Tensor.cs.
#include "common.h"

#include <c10/core/GradMode.h>

#include <cstring>

namespace ser {

at::ScalarType to_scalar_type(int32_t code) {
  switch (static_cast<Dtype>(code)) {
    case Dtype::Float32: return at::kFloat;
    case Dtype::Float64: return at::kDouble;
    case Dtype::Int64: return at::kLong;
    case Dtype::Bool: return at::kBool;
  }
  throw std::invalid_argument("unknown scalar type code " + std::to_string(code));
}

int32_t from_scalar_type(at::ScalarType type) {
  switch (type) {
    case at::kFloat: return static_cast<int32_t>(Dtype::Float32);
    case at::kDouble: return static_cast<int32_t>(Dtype::Float64);
    case at::kLong: return static_cast<int32_t>(Dtype::Int64);
    case at::kBool: return static_cast<int32_t>(Dtype::Bool);
    default: throw std::invalid_argument(std::string("scalar type not supported by SerMlNet.Torch: ") + c10::toString(type));
  }
}

at::Device to_device(int32_t type, int32_t index) {
  switch (type) {
    case 0:
      return at::Device(at::kCPU);
    case 1:
      if (!at::hasCUDA()) {
        throw std::runtime_error("CUDA was requested but this libtorch was built without CUDA support");
      }
      return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
    default:
      throw std::invalid_argument("unknown device type code " + std::to_string(type));
  }
}

}  // namespace ser

namespace {

at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index) {
  return at::TensorOptions().dtype(ser::to_scalar_type(dtype)).device(ser::to_device(device_type, device_index));
}

void check_count(const at::Tensor& tensor, int64_t count, int32_t dtype) {
  if (tensor.numel() != count) {
    throw std::invalid_argument("buffer holds " + std::to_string(count) + " elements but the tensor has " +
                                std::to_string(tensor.numel()));
  }
  if (tensor.scalar_type() != ser::to_scalar_type(dtype)) {
    throw std::invalid_argument(std::string("buffer element type ") + c10::toString(ser::to_scalar_type(dtype)) +
                                " does not match tensor type " + c10::toString(tensor.scalar_type()));
  }
}

}  // namespace

// Frees a handle made by any entry point. The tensor's storage goes when its last reference does.
SER_API SerStatus* ser_tensor_free(SerTensor* handle) {
  return ser::guarded([&] {
    if (handle != nullptr) {
      delete reinterpret_cast<at::Tensor*>(handle);
      ser::count_freed();
    }
  });
}

// A new tensor of the given shape holding a copy of `count` elements at `data` (element type `dtype`).
SER_API SerStatus* ser_tensor_from_data(const void* data, int64_t count, int32_t dtype, const int64_t* shape,
                                        int32_t ndim, int32_t device_type, int32_t device_index, SerTensor** result) {
  return ser::guarded([&] {
    ser::out(result);
    at::Tensor cpu = at::empty(ser::ints(shape, ndim), at::TensorOptions().dtype(ser::to_scalar_type(dtype)));
    check_count(cpu, count, dtype);
    if (count > 0) {
      if (data == nullptr) {
        throw std::invalid_argument("null data pointer");
      }
      std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(count) * cpu.element_size());
    }
    at::Device device = ser::to_device(device_type, device_index);
    *result = ser::wrap(device.is_cpu() ? std::move(cpu) : cpu.to(device));
  });
}

// fill: 0 = zeros, 1 = ones, 2 = `value`, 3 = standard normal, 4 = uniform [0, 1), 5 = uninitialised.
SER_API SerStatus* ser_tensor_filled(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t fill, double value,
                                     int32_t device_type, int32_t device_index, SerTensor** result) {
  return ser::guarded([&] {
    ser::out(result);
    auto size = ser::ints(shape, ndim);
    auto opts = options(dtype, device_type, device_index);
    switch (fill) {
      case 0: *result = ser::wrap(at::zeros(size, opts)); break;
      case 1: *result = ser::wrap(at::ones(size, opts)); break;
      case 2: *result = ser::wrap(at::full(size, value, opts)); break;
      case 3: *result = ser::wrap(at::randn(size, opts)); break;
      case 4: *result = ser::wrap(at::rand(size, opts)); break;
      case 5: *result = ser::wrap(at::empty(size, opts)); break;
      default: throw std::invalid_argument("unknown fill code " + std::to_string(fill));
    }
  });
}

// Integers drawn uniformly from [low, high) as an int64 tensor.
SER_API SerStatus* ser_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim,
                                      int32_t device_type, int32_t device_index, SerTensor** result) {
  return ser::guarded([&] {
    ser::out(result);
    *result = ser::wrap(at::randint(low, high, ser::ints(shape, ndim),
                                    options(static_cast<int32_t>(ser::Dtype::Int64), device_type, device_index)));
  });
}

// In place, without recording autograd: fills with U(low, high) (kind 0) or N(low, high^2) (kind 1).
SER_API SerStatus* ser_tensor_init_(SerTensor* handle, int32_t kind, double low, double high) {
  return ser::guarded([&] {
    at::Tensor& tensor = ser::unwrap(handle);
    c10::AutoGradMode no_grad(false);
    if (kind == 0) {
      tensor.uniform_(low, high);
    } else if (kind == 1) {
      tensor.normal_(low, high);
    } else {
      throw std::invalid_argument("unknown init kind " + std::to_string(kind));
    }
  });
}

SER_API SerStatus* ser_tensor_ndim(SerTensor* handle, int32_t* ndim) {
  return ser::guarded([&] { *ser::out(ndim) = static_cast<int32_t>(ser::unwrap(handle).dim()); });
}

// Writes the sizes into `shape` (capacity `capacity`, at least ndim).
SER_API SerStatus* ser_tensor_shape(SerTensor* handle, int64_t* shape, int32_t capacity) {
  return ser::guarded([&] {
    const at::Tensor& tensor = ser::unwrap(handle);
    if (capacity < tensor.dim() || (tensor.dim() > 0 && shape == nullptr)) {
      throw std::invalid_argument("shape buffer too small");
    }
    for (int64_t i = 0; i < tensor.dim(); ++i) {
      shape[i] = tensor.size(i);
    }
  });
}

SER_API SerStatus* ser_tensor_dtype(SerTensor* handle, int32_t* dtype) {
  return ser::guarded([&] { *ser::out(dtype) = ser::from_scalar_type(ser::unwrap(handle).scalar_type()); });
}

SER_API SerStatus* ser_tensor_device(SerTensor* handle, int32_t* type, int32_t* index) {
  return ser::guarded([&] {
    const at::Device device = ser::unwrap(handle).device();
    if (!device.is_cpu() && !device.is_cuda()) {
      throw std::invalid_argument("tensor lives on a device SerMlNet.Torch does not support: " + device.str());
    }
    *ser::out(type) = device.is_cuda() ? 1 : 0;
    *ser::out(index) = device.has_index() ? device.index() : 0;
  });
}

// Copies the tensor's elements (row-major) into `data`, which holds exactly `count` elements of type `dtype`.
SER_API SerStatus* ser_tensor_copy_to(SerTensor* handle, void* data, int64_t count, int32_t dtype) {
  return ser::guarded([&] {
    at::Tensor tensor = ser::unwrap(handle);
    check_count(tensor, count, dtype);
    if (count == 0) {
      return;
    }
    if (data == nullptr) {
      throw std::invalid_argument("null data pointer");
    }
    at::Tensor source = tensor.detach().to(at::kCPU).contiguous();
    std::memcpy(data, source.data_ptr(), static_cast<size_t>(count) * source.element_size());
  });
}

// Overwrites the tensor's elements in place from `data` (`count` elements of type `dtype`), without autograd.
SER_API SerStatus* ser_tensor_copy_from(SerTensor* handle, const void* data, int64_t count, int32_t dtype) {
  return ser::guarded([&] {
    at::Tensor& tensor = ser::unwrap(handle);
    check_count(tensor, count, dtype);
    if (count == 0) {
      return;
    }
    if (data == nullptr) {
      throw std::invalid_argument("null data pointer");
    }
    at::Tensor source = at::from_blob(const_cast<void*>(data), tensor.sizes(),
                                      at::TensorOptions().dtype(tensor.scalar_type()));
    c10::AutoGradMode no_grad(false);
    tensor.copy_(source);
  });
}

// Copies `source` into `destination` in place (shapes must match), without autograd.
SER_API SerStatus* ser_tensor_copy_(SerTensor* destination, SerTensor* source) {
  return ser::guarded([&] {
    at::Tensor& target = ser::unwrap(destination);
    const at::Tensor& from = ser::unwrap(source);
    if (!target.sizes().equals(from.sizes())) {
      throw std::invalid_argument("copy: shape " + c10::str(from.sizes()) + " does not match " + c10::str(target.sizes()));
    }
    c10::AutoGradMode no_grad(false);
    target.copy_(from);
  });
}

// Value of a one-element tensor.
SER_API SerStatus* ser_tensor_item_double(SerTensor* handle, double* value) {
  return ser::guarded([&] { *ser::out(value) = ser::unwrap(handle).item<double>(); });
}

SER_API SerStatus* ser_tensor_item_int64(SerTensor* handle, int64_t* value) {
  return ser::guarded([&] { *ser::out(value) = ser::unwrap(handle).item<int64_t>(); });
}

SER_API SerStatus* ser_tensor_requires_grad(SerTensor* handle, int32_t* requires_grad) {
  return ser::guarded([&] { *ser::out(requires_grad) = ser::unwrap(handle).requires_grad() ? 1 : 0; });
}

SER_API SerStatus* ser_tensor_set_requires_grad(SerTensor* handle, int32_t requires_grad) {
  return ser::guarded([&] { ser::unwrap(handle).requires_grad_(requires_grad != 0); });
}

// Back-propagates from `handle`; `gradient` may be null for a one-element tensor.
SER_API SerStatus* ser_tensor_backward(SerTensor* handle, SerTensor* gradient) {
  return ser::guarded([&] {
    const at::Tensor& tensor = ser::unwrap(handle);
    if (gradient == nullptr) {
      tensor.backward();
    } else {
      tensor.backward(ser::unwrap(gradient));
    }
  });
}

// The accumulated gradient, or a null handle when there is none.
SER_API SerStatus* ser_tensor_grad(SerTensor* handle, SerTensor** result) {
  return ser::guarded([&] {
    ser::out(result);
    const at::Tensor& grad = ser::unwrap(handle).grad();
    *result = grad.defined() ? ser::wrap(grad) : nullptr;
  });
}

// Drops the accumulated gradient (PyTorch's zero_grad(set_to_none=True)).
SER_API SerStatus* ser_tensor_clear_grad(SerTensor* handle) {
  return ser::guarded([&] { ser::unwrap(handle).mutable_grad().reset(); });
}

SER_API SerStatus* ser_tensor_detach(SerTensor* handle, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(ser::unwrap(handle).detach()); });
}

SER_API SerStatus* ser_tensor_clone(SerTensor* handle, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(ser::unwrap(handle).clone()); });
}

// Another handle to the same tensor (shares storage and autograd identity).
SER_API SerStatus* ser_tensor_alias(SerTensor* handle, SerTensor** result) {
  return ser::guarded([&] { *ser::out(result) = ser::wrap(ser::unwrap(handle)); });
}

SER_API SerStatus* ser_tensor_to(SerTensor* handle, int32_t device_type, int32_t device_index, int32_t dtype,
                                 SerTensor** result) {
  return ser::guarded([&] {
    ser::out(result);
    *result = ser::wrap(ser::unwrap(handle).to(ser::to_device(device_type, device_index), ser::to_scalar_type(dtype)));
  });
}

// Replaces the data of `handle` by that of `source` (keeps the handle's autograd identity; Module.To).
SER_API SerStatus* ser_tensor_set_data(SerTensor* handle, SerTensor* source) {
  return ser::guarded([&] { ser::unwrap(handle).set_data(ser::unwrap(source)); });
}

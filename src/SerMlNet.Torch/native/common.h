// Shared by every file of the shim: the status type, the guard that turns C++ exceptions into statuses, and the
// tensor handle helpers. Nothing here is exported.
//
// ABI rules of libsermlnet_torch:
//   * every exported function is `extern "C"`, returns `SerStatus*` (nullptr = success) and never lets an exception
//     escape (ser::guarded catches c10::Error, std::exception and ...);
//   * results come back through out-parameters, which are written only on success;
//   * a tensor handle is an owned `at::Tensor*` made by ser::wrap and released by ser_tensor_free; a null handle
//     stands for "no tensor" where a parameter is documented as optional;
//   * strings are UTF-8.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <string>
#include <utility>

#define SER_API extern "C" __attribute__((visibility("default")))

// A failed call: owns its UTF-8 message. Freed by ser_status_free.
struct SerStatus {
  std::string message;
  bool is_static = false;
};

// Opaque handles as seen by C callers.
struct SerTensor;
struct SerOptimizer;

namespace ser {

// Makes a status holding `message`; never throws (falls back to a static out-of-memory status).
SerStatus* make_status(const char* message) noexcept;

// Runs `body`; returns nullptr on success or a status carrying the exception's message.
template <class F>
SerStatus* guarded(F&& body) noexcept {
  try {
    body();
    return nullptr;
  } catch (const c10::Error& e) {
    return make_status(e.what_without_backtrace());
  } catch (const std::exception& e) {
    return make_status(e.what());
  } catch (...) {
    return make_status("unknown native exception in libsermlnet_torch");
  }
}

// Live tensor handles (made by wrap, not yet freed).
void count_created() noexcept;
void count_freed() noexcept;

inline SerTensor* wrap(at::Tensor tensor) {
  auto* owned = new at::Tensor(std::move(tensor));
  count_created();
  return reinterpret_cast<SerTensor*>(owned);
}

// The tensor behind a required handle; throws on null.
inline at::Tensor& unwrap(SerTensor* handle) {
  if (handle == nullptr) {
    throw std::invalid_argument("null tensor handle");
  }
  return *reinterpret_cast<at::Tensor*>(handle);
}

// An optional tensor argument: null handle -> nullopt.
inline c10::optional<at::Tensor> optional(SerTensor* handle) {
  if (handle == nullptr) {
    return c10::nullopt;
  }
  return unwrap(handle);
}

// Checks a pointer out-parameter before any work is done.
template <class T>
inline T* out(T* pointer) {
  if (pointer == nullptr) {
    throw std::invalid_argument("null out-parameter");
  }
  return pointer;
}

// A (pointer, length) pair from C as an IntArrayRef; length 0 allows a null pointer.
inline at::IntArrayRef ints(const int64_t* values, int32_t length) {
  if (length < 0 || (length > 0 && values == nullptr)) {
    throw std::invalid_argument("invalid integer array argument");
  }
  return at::IntArrayRef(values, static_cast<size_t>(length));
}

// Scalar type codes shared with C# (ScalarType enum).
enum class Dtype : int32_t { Float32 = 0, Float64 = 1, Int64 = 2, Bool = 3 };

at::ScalarType to_scalar_type(int32_t code);
int32_t from_scalar_type(at::ScalarType type);

// Device codes shared with C# (DeviceType enum): 0 = CPU, 1 = CUDA.
at::Device to_device(int32_t type, int32_t index);

}  // namespace ser

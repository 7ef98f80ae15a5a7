// Process-wide libtorch settings: seed, threads, grad mode, CUDA availability, version.
// Paired with Interop/NativeMethods.Runtime.cs.
#include "common.h"

#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/GradMode.h>
#include <torch/version.h>

#include <cstdlib>
#include <cstring>
#include <malloc.h>

// Keeps freed tensor memory in glibc's heap instead of returning it to the kernel: libtorch allocates and frees
// activation buffers of tens of MB every step, and with glibc's defaults each one is a fresh mmap whose pages the
// kernel must fault in and zero again (measured: half of a training step's CPU time spent in the kernel). Settings the
// user gives through MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ win. `applied` receives 1 when set here.
SER_API SerStatus* ser_configure_allocator(int32_t* applied) {
  return ser::guarded([&] {
    int ok = 0;
    if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr && std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr) {
      ok = mallopt(M_MMAP_THRESHOLD, 1 << 30) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1 ? 1 : 0;
    }
    *ser::out(applied) = ok;
  });
}

SER_API SerStatus* ser_manual_seed(int64_t seed) {
  return ser::guarded([&] { at::manual_seed(static_cast<uint64_t>(seed)); });
}

SER_API SerStatus* ser_set_num_threads(int32_t threads) {
  return ser::guarded([&] {
    if (threads < 1) {
      throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(threads));
    }
    at::set_num_threads(threads);
  });
}

SER_API SerStatus* ser_get_num_threads(int32_t* threads) {
  return ser::guarded([&] { *ser::out(threads) = at::get_num_threads(); });
}

// Grad mode is per thread in libtorch. `previous` receives the mode before the change.
SER_API SerStatus* ser_set_grad_enabled(int32_t enabled, int32_t* previous) {
  return ser::guarded([&] {
    *ser::out(previous) = c10::GradMode::is_enabled() ? 1 : 0;
    c10::GradMode::set_enabled(enabled != 0);
  });
}

SER_API SerStatus* ser_is_grad_enabled(int32_t* enabled) {
  return ser::guarded([&] { *ser::out(enabled) = c10::GradMode::is_enabled() ? 1 : 0; });
}

// built: libtorch was compiled with CUDA; devices: number of CUDA devices usable now (0 when not built).
SER_API SerStatus* ser_cuda_info(int32_t* built, int32_t* devices) {
  return ser::guarded([&] {
    const bool has_cuda = at::hasCUDA();
    *ser::out(built) = has_cuda ? 1 : 0;
    *ser::out(devices) = has_cuda ? static_cast<int32_t>(at::detail::getCUDAHooks().getNumGPUs()) : 0;
  });
}

// Writes the libtorch version ("1.13.1"-style, NUL-terminated) into buffer (capacity bytes).
SER_API SerStatus* ser_torch_version(char* buffer, int32_t capacity) {
  return ser::guarded([&] {
    const std::string version = TORCH_VERSION;
    if (buffer == nullptr || capacity < static_cast<int32_t>(version.size()) + 1) {
      throw std::invalid_argument("version buffer too small");
    }
    std::memcpy(buffer, version.c_str(), version.size() + 1);
  });
}

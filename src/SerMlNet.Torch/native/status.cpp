// Status objects returned by every entry point, and the live tensor-handle counter.
// Paired with Interop/NativeMethods.Status.cs.
#include "common.h"

#include <atomic>
#include <new>

namespace {

std::atomic<int64_t> g_live_tensors{0};

SerStatus g_out_of_memory{"libsermlnet_torch: out of memory while reporting an error", true};

}  // namespace

namespace ser {

SerStatus* make_status(const char* message) noexcept {
  try {
    auto* status = new SerStatus();
    status->message = message != nullptr ? message : "(no message)";
    return status;
  } catch (...) {
    return &g_out_of_memory;
  }
}

void count_created() noexcept { g_live_tensors.fetch_add(1, std::memory_order_relaxed); }

void count_freed() noexcept { g_live_tensors.fetch_sub(1, std::memory_order_relaxed); }

}  // namespace ser

// The UTF-8 message of a failed status; valid until ser_status_free. Null for a null status.
SER_API const char* ser_status_message(const SerStatus* status) {
  return status != nullptr ? status->message.c_str() : nullptr;
}

// Frees a status returned by any entry point; null is ignored.
SER_API void ser_status_free(SerStatus* status) {
  if (status != nullptr && !status->is_static) {
    delete status;
  }
}

// Number of tensor handles made by the shim and not yet freed.
SER_API SerStatus* ser_live_tensor_count(int64_t* count) {
  return ser::guarded([&] { *ser::out(count) = g_live_tensors.load(std::memory_order_relaxed); });
}

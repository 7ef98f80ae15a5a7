// Adam and AdamW over libtorch's torch::optim implementations: one native call per step for all parameters,
// settable learning rate, and access to the per-parameter state for checkpoints.
// Paired with Interop/NativeMethods.Optim.cs.
#include "common.h"

#include <c10/util/string_utils.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>

#include <memory>
#include <vector>

namespace {

enum class Kind : int32_t { Adam = 0, AdamW = 1 };

struct Optimizer {
  Kind kind;
  std::vector<at::Tensor> params;
  std::unique_ptr<torch::optim::Optimizer> impl;
};

Optimizer& unwrap(SerOptimizer* handle) {
  if (handle == nullptr) {
    throw std::invalid_argument("null optimizer handle");
  }
  return *reinterpret_cast<Optimizer*>(handle);
}

const at::Tensor& param_at(const Optimizer& optimizer, int32_t index) {
  if (index < 0 || static_cast<size_t>(index) >= optimizer.params.size()) {
    throw std::out_of_range("parameter index " + std::to_string(index) + " is out of range [0, " +
                            std::to_string(optimizer.params.size()) + ")");
  }
  return optimizer.params[static_cast<size_t>(index)];
}

// torch::optim keys per-parameter state by the address of the parameter's TensorImpl.
std::string state_key(const at::Tensor& param) { return c10::guts::to_string(param.unsafeGetTensorImpl()); }

template <class State>
void get_state(Optimizer& optimizer, const at::Tensor& param, int64_t* step, SerTensor** exp_avg,
               SerTensor** exp_avg_sq) {
  auto& states = optimizer.impl->state();
  auto found = states.find(state_key(param));
  if (found == states.end()) {
    *step = 0;
    *exp_avg = nullptr;
    *exp_avg_sq = nullptr;
    return;
  }
  auto& state = static_cast<State&>(*found->second);
  // Copies first, handles last: a failed copy leaves no handle behind.
  at::Tensor first = state.exp_avg().detach().clone();
  at::Tensor second = state.exp_avg_sq().detach().clone();
  *exp_avg = ser::wrap(std::move(first));
  *exp_avg_sq = ser::wrap(std::move(second));
  *step = state.step();
}

template <class State>
void set_state(Optimizer& optimizer, const at::Tensor& param, int64_t step, const at::Tensor& exp_avg,
               const at::Tensor& exp_avg_sq) {
  if (!exp_avg.sizes().equals(param.sizes()) || !exp_avg_sq.sizes().equals(param.sizes())) {
    throw std::invalid_argument("optimizer state shape does not match parameter shape " + c10::str(param.sizes()));
  }
  if (step < 0) {
    throw std::invalid_argument("optimizer step must be >= 0");
  }
  auto state = std::make_unique<State>();
  state->step(step);
  at::TensorOptions like = at::TensorOptions().dtype(param.scalar_type()).device(param.device());
  state->exp_avg(exp_avg.detach().to(like).clone());
  state->exp_avg_sq(exp_avg_sq.detach().to(like).clone());
  optimizer.impl->state()[state_key(param)] = std::move(state);
}

}  // namespace

// kind 0 = Adam (L2 penalty added to the gradient), 1 = AdamW (decoupled weight decay).
SER_API SerStatus* ser_optimizer_create(int32_t kind, SerTensor** params, int32_t count, double lr, double beta1,
                                        double beta2, double eps, double weight_decay, SerOptimizer** result) {
  return ser::guarded([&] {
    ser::out(result);
    if (count < 0 || (count > 0 && params == nullptr)) {
      throw std::invalid_argument("invalid parameter list");
    }
    auto optimizer = std::make_unique<Optimizer>();
    optimizer->params.reserve(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) {
      const at::Tensor& param = ser::unwrap(params[i]);
      if (!param.requires_grad()) {
        throw std::invalid_argument("parameter " + std::to_string(i) + " does not require grad");
      }
      optimizer->params.push_back(param);
    }
    if (kind == static_cast<int32_t>(Kind::Adam)) {
      optimizer->kind = Kind::Adam;
      optimizer->impl = std::make_unique<torch::optim::Adam>(
          optimizer->params,
          torch::optim::AdamOptions(lr).betas({beta1, beta2}).eps(eps).weight_decay(weight_decay));
    } else if (kind == static_cast<int32_t>(Kind::AdamW)) {
      optimizer->kind = Kind::AdamW;
      optimizer->impl = std::make_unique<torch::optim::AdamW>(
          optimizer->params,
          torch::optim::AdamWOptions(lr).betas({beta1, beta2}).eps(eps).weight_decay(weight_decay));
    } else {
      throw std::invalid_argument("unknown optimizer kind " + std::to_string(kind));
    }
    *result = reinterpret_cast<SerOptimizer*>(optimizer.release());
  });
}

SER_API SerStatus* ser_optimizer_free(SerOptimizer* handle) {
  return ser::guarded([&] { delete reinterpret_cast<Optimizer*>(handle); });
}

// One update of every parameter that has a gradient.
SER_API SerStatus* ser_optimizer_step(SerOptimizer* handle) {
  return ser::guarded([&] { unwrap(handle).impl->step(); });
}

// Drops every parameter's gradient (PyTorch's zero_grad(set_to_none=True)).
SER_API SerStatus* ser_optimizer_zero_grad(SerOptimizer* handle) {
  return ser::guarded([&] {
    for (auto& param : unwrap(handle).params) {
      param.mutable_grad().reset();
    }
  });
}

SER_API SerStatus* ser_optimizer_set_lr(SerOptimizer* handle, double lr) {
  return ser::guarded([&] {
    if (!(lr >= 0)) {
      throw std::invalid_argument("learning rate must be >= 0, got " + std::to_string(lr));
    }
    for (auto& group : unwrap(handle).impl->param_groups()) {
      group.options().set_lr(lr);
    }
  });
}

SER_API SerStatus* ser_optimizer_get_lr(SerOptimizer* handle, double* lr) {
  return ser::guarded([&] {
    ser::out(lr);
    auto& groups = unwrap(handle).impl->param_groups();
    if (groups.empty()) {
      throw std::logic_error("optimizer has no parameter group");
    }
    *lr = groups.front().options().get_lr();
  });
}

// State of parameter `index`: its step count and copies of the first and second moments (null handles and step 0
// before the first update of that parameter).
SER_API SerStatus* ser_optimizer_get_state(SerOptimizer* handle, int32_t index, int64_t* step, SerTensor** exp_avg,
                                           SerTensor** exp_avg_sq) {
  return ser::guarded([&] {
    ser::out(step);
    ser::out(exp_avg);
    ser::out(exp_avg_sq);
    Optimizer& optimizer = unwrap(handle);
    const at::Tensor& param = param_at(optimizer, index);
    if (optimizer.kind == Kind::Adam) {
      get_state<torch::optim::AdamParamState>(optimizer, param, step, exp_avg, exp_avg_sq);
    } else {
      get_state<torch::optim::AdamWParamState>(optimizer, param, step, exp_avg, exp_avg_sq);
    }
  });
}

// Restores the state of parameter `index` (copies the moments).
SER_API SerStatus* ser_optimizer_set_state(SerOptimizer* handle, int32_t index, int64_t step, SerTensor* exp_avg,
                                           SerTensor* exp_avg_sq) {
  return ser::guarded([&] {
    Optimizer& optimizer = unwrap(handle);
    const at::Tensor& param = param_at(optimizer, index);
    if (optimizer.kind == Kind::Adam) {
      set_state<torch::optim::AdamParamState>(optimizer, param, step, ser::unwrap(exp_avg), ser::unwrap(exp_avg_sq));
    } else {
      set_state<torch::optim::AdamWParamState>(optimizer, param, step, ser::unwrap(exp_avg), ser::unwrap(exp_avg_sq));
    }
  });
}

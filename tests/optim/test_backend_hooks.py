"""``step`` hands each update to the parameter's backend: a built-in optimizer through its own
hook (``Backend.sgd_update``, ...), anything else through ``Backend.optimizer_update``, whose
default runs the optimizer's plain ``xp`` update. A backend fuses one optimizer by overriding one
method."""

import numpy as np
import pytest

import minitorch as mt
import minitorch.optim.optimizer as optimizer_module
from minitorch import optim
from minitorch.backend import Backend, numpy_backend
from minitorch.backend.numpy_backend import NumpyBackend

HOOKS = [
    (optim.SGD, dict(lr=0.1, momentum=0.9), "sgd_update"),
    (optim.Adam, dict(lr=0.01), "adam_update"),
    (optim.AdamW, dict(lr=0.01), "adam_update"),
    (optim.RMSprop, dict(lr=0.01, momentum=0.5), "rmsprop_update"),
    (optim.Adagrad, dict(lr=0.1), "adagrad_update"),
    (optim.Adadelta, dict(lr=0.5, weight_decay=0.1), "adadelta_update"),
    (optim.Adamax, dict(lr=0.01), "adamax_update"),
    (optim.NAdam, dict(lr=0.01), "nadam_update"),
    (optim.RAdam, dict(lr=0.01), "radam_update"),
]
IDS = [cls.__name__ for cls, _, _ in HOOKS]
HOOK_NAMES = sorted({hook for _, _, hook in HOOKS} | {"optimizer_update"})


class RecordingBackend(NumpyBackend):
    """The NumPy backend, recording which optimizer hook each update went through."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []


for _hook in HOOK_NAMES:

    def _recorded(self, *args, _hook=_hook):
        self.calls.append(_hook)
        return getattr(NumpyBackend, _hook)(self, *args)

    setattr(RecordingBackend, _hook, _recorded)


def use_backend(monkeypatch, backend) -> None:
    """Make ``step`` see ``backend`` as the backend of every parameter array."""
    monkeypatch.setattr(optimizer_module, "get_backend", lambda x: backend)


def params_and_grads(seed=0, shapes=((4, 3), (5,))):
    rng = np.random.default_rng(seed)
    params = [mt.nn.Parameter(mt.tensor(rng.standard_normal(s), dtype=mt.float64)) for s in shapes]
    grads = [[rng.standard_normal(s) for s in shapes] for _ in range(3)]
    return params, grads


def run(opt, params, grads):
    for gs in grads:
        for p, g in zip(params, gs):
            p.grad = mt.tensor(g)
        opt.step()
    return [p.detach().numpy().copy() for p in params]


@pytest.mark.parametrize("cls, kwargs, hook", HOOKS, ids=IDS)
def test_each_builtin_optimizer_goes_through_its_own_hook(monkeypatch, cls, kwargs, hook):
    backend = RecordingBackend()
    use_backend(monkeypatch, backend)
    params, grads = params_and_grads()
    run(cls(params, **kwargs), params, grads)
    # the hook's default hands on to the generic method
    assert backend.calls == [hook, "optimizer_update"] * (len(params) * len(grads))


@pytest.mark.parametrize("cls, kwargs, hook", HOOKS, ids=IDS)
def test_a_backend_that_overrides_one_hook_is_used_by_step(monkeypatch, cls, kwargs, hook):
    """A 'fused kernel' override (here the reference form plus a record) replaces the update
    of its optimizer and of no other."""
    calls = []

    def fused(self, update, x, grad, state, hyper, workspace):
        calls.append((update, hyper["lr"]))
        cls.reference(self.xp, x, grad, state, None, **hyper)

    backend = type("FusedBackend", (NumpyBackend,), {hook: fused})()
    use_backend(monkeypatch, backend)
    params, grads = params_and_grads()
    fused_result = run(cls(params, **kwargs), params, grads)
    assert [lr for _, lr in calls] == [kwargs["lr"]] * (len(params) * len(grads))
    assert all(update is cls.update for update, _ in calls)  # the plain form, to fall back on

    monkeypatch.undo()
    params, grads = params_and_grads()
    opt = cls(params, **kwargs)
    opt.update = opt.reference
    np.testing.assert_array_equal(run(opt, params, grads)[0], fused_result[0])

    others = [c for c, _, h in HOOKS if h != hook]
    use_backend(monkeypatch, backend)
    for other in others:  # the other optimizers still run their own update
        params, grads = params_and_grads()
        run(other(params, lr=0.1), params, grads)
    assert len(calls) == len(params) * len(grads)


@pytest.mark.parametrize("cls, kwargs, hook", HOOKS, ids=IDS)
def test_default_hook_runs_the_plain_update_exactly(cls, kwargs, hook):
    """The default hook is the optimizer's in-place ``xp`` update, bit for bit, which agrees with
    the allocating reference form to rounding."""
    params, grads = params_and_grads()
    stepped = run(cls(params, **kwargs), params, grads)

    params, grads = params_and_grads()
    template = cls(params, **kwargs)
    hyper = template._hyper(template.param_groups[0])
    for use in (cls.update, cls.reference):
        results = []
        for p, *gs in zip(params, *grads):
            x = p.detach().numpy().copy()
            state = template._init_state(x, template.param_groups[0])
            workspace = []
            for g in gs:
                numpy_backend().optimizer_update(use, x, g, state, hyper, workspace)
            results.append(x)
        for got, want in zip(stepped, results):
            if use is cls.update:
                np.testing.assert_array_equal(got, want)
            else:
                np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_a_replaced_update_runs_as_it_is(monkeypatch):
    """``opt.update = ...`` (the tests swap in the reference) bypasses a fused hook."""
    backend = RecordingBackend()
    use_backend(monkeypatch, backend)
    params, grads = params_and_grads()
    opt = optim.Adam(params, lr=0.01)
    opt.update = opt.reference
    run(opt, params, grads)
    assert set(backend.calls) == {"optimizer_update"}


def test_a_custom_optimizer_goes_through_optimizer_update(monkeypatch):
    def sign_update(xp, x, grad, state, scratch, *, lr):
        t = scratch(0)
        xp.sign(grad, out=t)
        t *= -lr
        x += t

    class SignSGD(optim.Optimizer):
        update = staticmethod(sign_update)

        def __init__(self, params, lr):
            super().__init__(params, dict(lr=lr))

        def _hyper(self, group):
            return dict(lr=group["lr"])

    backend = RecordingBackend()
    use_backend(monkeypatch, backend)
    p = mt.nn.Parameter(mt.tensor([1.0, -2.0, 3.0]))
    p.grad = mt.tensor([0.5, -0.5, 0.0])
    SignSGD([p], lr=0.25).step()
    assert backend.calls == ["optimizer_update"]
    np.testing.assert_array_equal(p.detach().numpy(), [0.75, -1.75, 3.0])


def test_every_hook_is_declared_on_backend_with_one_signature():
    import inspect

    want = inspect.signature(Backend.optimizer_update)
    for name in HOOK_NAMES:
        assert inspect.signature(getattr(Backend, name)) == want, name
        assert getattr(Backend, name).__doc__

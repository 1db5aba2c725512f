"""Optimizers with the update rules and defaults of Keras 3, plus LARS as in torchlars.

``optimizers.get(name, **hyperparameters)`` builds one; ``opt.apply(params, grads)`` updates the
parameter arrays in place. Hyperparameters are plain attributes (``opt.learning_rate = 0.01``),
checked when they are set, and may change between steps.

Every update rule runs on two flat 1-D buffers, the weights and the gradients, with a constant
number of NumPy calls per step whatever the number of parameter arrays. When the arrays handed to
``apply`` are consecutive C-contiguous views of one flat buffer (the trainer's layout), the maths
runs on that buffer directly; any other arrays are first packed into flat scratch buffers and
copied back afterwards. The optimizer state (moments, momentum buffers) is kept flat too.

Sources of the rules: keras/src/optimizers/{base_optimizer,sgd,rmsprop,adam,adamw,adagrad,lamb}.py
in keras-team/keras (Keras 3), and torchlars/lars.py with torchlars/adaptive_lr.cc in
kakaobrain/torchlars wrapping ``torch.optim.SGD``.
"""

import math
import operator
from abc import ABC, abstractmethod

import numpy as np

from .errors import ConfigError


class _Number:
    """Validator of a real hyperparameter in an interval; returns it as a Python float."""

    def __init__(self, low, high=math.inf, *, low_open=False, high_open=False):
        self.low, self.high = low, high
        self.low_open, self.high_open = low_open, high_open
        upper = "inf)" if high == math.inf else f"{high:g}" + (")" if high_open else "]")
        self.valid = f"a number in {'(' if low_open else '['}{low:g}, {upper}"

    def __call__(self, optimizer, field, value):
        is_number = isinstance(value, (int, float, np.integer, np.floating))
        if not is_number or isinstance(value, (bool, np.bool_)):
            raise ConfigError(f"optimizer '{optimizer}': {field} must be {self.valid}; "
                              f"received {value!r} of type {type(value).__name__}")
        number = float(value)
        above = number > self.low if self.low_open else number >= self.low
        below = number < self.high if self.high_open else number <= self.high
        if not (math.isfinite(number) and above and below):
            raise ConfigError(f"optimizer '{optimizer}': {field} must be {self.valid}; "
                              f"received {value!r}")
        return number


class _Flag:
    """Validator of a boolean hyperparameter."""

    valid = "True or False"

    def __call__(self, optimizer, field, value):
        if not isinstance(value, (bool, np.bool_)):
            raise ConfigError(f"optimizer '{optimizer}': {field} must be {self.valid}; "
                              f"received {value!r} of type {type(value).__name__}")
        return bool(value)


class _Hyperparameter:
    """Attribute whose assignments are validated and whose reads cost nothing extra.

    Defining ``__set__`` without ``__get__`` makes every assignment go through the validator,
    while reads find the value in the instance's ``__dict__`` at plain attribute speed.
    """

    def __init__(self, field, check):
        self.field, self.check = field, check

    def __set__(self, optimizer, value):
        optimizer.__dict__[self.field] = self.check(optimizer.name, self.field, value)


# From this many weights on, per-array work goes array by array (BLAS dots for the norms, one
# multiply per array) rather than through whole-buffer reductions and spread factors.
_LARGE_MODEL = 16384
# Below this many weights, per-array factors are spread over the weights by a gather; from it
# on, by np.repeat (which only copies runs of one value).
_GATHER_UP_TO = 4096

_NON_NEGATIVE = _Number(0.0)
_POSITIVE = _Number(0.0, low_open=True)
_FRACTION = _Number(0.0, 1.0, high_open=True)
_FLAG = _Flag()


class _Layout:
    """Shapes of the parameter arrays and where each one sits in a flat buffer.

    Parameters
    ----------
    shapes : tuple of tuple of int
        Shape of each parameter array, in order.
    dtype : numpy.dtype
        Floating dtype of the parameters (float32 or float64).
    """

    def __init__(self, shapes, dtype):
        self.shapes = shapes
        self.dtype = dtype
        self.sizes = np.array([math.prod(shape) for shape in shapes], dtype=np.intp)
        ends = np.cumsum(self.sizes)
        self.size = int(ends[-1])
        self.starts = ends - self.sizes
        self.slices = [slice(start, start + size)
                       for start, size in zip(self.starts.tolist(), self.sizes.tolist())]
        # 1-D arrays are biases (the model's layout: every kernel 2-D, every bias 1-D)
        self.is_bias = tuple(len(shape) == 1 for shape in shapes)
        # the parameter array each weight belongs to, for spreading per-array factors
        self.array_of_weight = np.repeat(np.arange(len(shapes)), self.sizes)

    def views(self, flat):
        """Views of ``flat`` (shape (size,)) shaped like the parameter arrays."""
        return [flat[start:start + size].reshape(shape)
                for start, size, shape in zip(self.starts.tolist(), self.sizes.tolist(),
                                              self.shapes)]

    def describe(self):
        """The shapes and dtype as text, for error messages."""
        return self.describe_arrays(self.shapes, self.dtype)

    @staticmethod
    def describe_arrays(shapes, dtype):
        """Text naming ``shapes`` and ``dtype``, for error messages."""
        return f"{len(shapes)} arrays of shapes {list(shapes)} and dtype {dtype}"


def _flat_view(arrays, dtype):
    """The 1-D view that ``arrays`` are consecutive pieces of, or None.

    Parameters
    ----------
    arrays : list of ndarray
        Candidate views; they qualify when each is C-contiguous with the given dtype, all share
        one C-contiguous base array of that dtype, and each starts where the previous one ends.
    dtype : numpy.dtype

    Returns
    -------
    ndarray, shape (sum of sizes,), or None
        A view of the shared base covering exactly the arrays, so writing to it writes to them.
    """
    base = arrays[0].base
    if not (isinstance(base, np.ndarray) and base.dtype == dtype and base.flags.c_contiguous):
        return None
    base_address = base.__array_interface__["data"][0]
    first_address = arrays[0].__array_interface__["data"][0]
    address = first_address
    for array in arrays:
        if (array.base is not base or array.dtype != dtype or not array.flags.c_contiguous
                or array.__array_interface__["data"][0] != address):
            return None
        address += array.nbytes
    start, remainder = divmod(first_address - base_address, dtype.itemsize)
    if remainder:
        return None
    total = (address - first_address) // dtype.itemsize
    return base.reshape(-1)[start:start + total]


class _Plan:
    """How one pair of ``params``/``grads`` lists maps onto flat buffers.

    Cached by the optimizer while the same two list objects, holding the same arrays, come back.

    Parameters
    ----------
    params, grads : list of ndarray
        The lists given to ``apply`` (already validated against ``layout``).
    layout : _Layout
    """

    def __init__(self, params, grads, layout):
        self.params, self.grads = params, grads
        self.param_arrays, self.grad_arrays = tuple(params), tuple(grads)
        self.weights = _flat_view(params, layout.dtype)
        self.gradients = _flat_view(grads, layout.dtype)
        self.pack_params = self.weights is None
        self.pack_grads = self.gradients is None
        self.packed = self.pack_params or self.pack_grads
        if self.pack_params:
            self.weights = np.empty(layout.size, layout.dtype)
            self.weight_views = layout.views(self.weights)
        if self.pack_grads:
            self.gradients = np.empty(layout.size, layout.dtype)
            self.gradient_views = layout.views(self.gradients)
        self.finite = np.empty(layout.size, dtype=bool)

    def matches(self, params, grads):
        """Whether ``params`` and ``grads`` are the cached lists, still holding the same arrays."""
        return (params is self.params and grads is self.grads
                and len(params) == len(self.param_arrays) and len(grads) == len(self.grad_arrays)
                and all(map(operator.is_, params, self.param_arrays))
                and all(map(operator.is_, grads, self.grad_arrays)))

    def pack(self):
        """Copy the arrays that are not views of one flat buffer into the packing buffers."""
        if self.pack_params:
            for view, array in zip(self.weight_views, self.params):
                np.copyto(view, array)
        if self.pack_grads:
            for view, array in zip(self.gradient_views, self.grads):
                np.copyto(view, array, casting="same_kind")

    def unpack(self):
        """Copy the packed weights back into the caller's parameter arrays."""
        for array, view in zip(self.params, self.weight_views):
            np.copyto(array, view)


class Optimizer(ABC):
    """Base optimizer: ``apply`` does the shared work, ``update_step`` the rule.

    ``apply`` validates the arrays, maps them onto flat buffers, rejects non-finite gradients,
    applies decoupled weight decay where the optimizer has it, calls ``update_step`` once on the
    flat buffers and counts the iteration, as Keras's ``BaseOptimizer.apply`` does.

    Parameters
    ----------
    name : str, optional
        Display name; defaults to the class's registry name.
    **hyperparameters
        Values for the names in ``spec``; a value of None means the default.

    Attributes
    ----------
    iterations : int
        Steps applied so far.
    state : dict of str to ndarray, shape (n_weights,)
        The flat optimizer state, created at the first step.
    trust_ratios : ndarray, shape (n_arrays,) or None
        Per-array trust ratios of the last step (LARS and Lamb), else None.
    """

    name = "optimizer"
    # {hyperparameter: (Keras default, validator)}, in the Keras signature's order.
    spec = {}
    # {accepted alternative keyword: hyperparameter}
    aliases = {}
    decoupled_weight_decay = False
    trust_ratios = None
    scratch_buffers = 1

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for field, (_, check) in cls.spec.items():
            setattr(cls, field, _Hyperparameter(field, check))

    def __init__(self, name=None, **hyperparameters):
        self.name = name or type(self).name
        for alias, field in self.aliases.items():
            if alias in hyperparameters:
                if hyperparameters.get(field) is not None:
                    raise ConfigError(
                        f"optimizer '{self.name}': give {field} or its alias {alias}, not both; "
                        f"received {field}={hyperparameters[field]!r} and "
                        f"{alias}={hyperparameters[alias]!r}")
                hyperparameters[field] = hyperparameters.pop(alias)
        for field, value in hyperparameters.items():
            if field not in self.spec:
                raise ConfigError(
                    f"optimizer '{self.name}' has no hyperparameter {field!r} (received "
                    f"{field}={value!r}); valid hyperparameters: {', '.join(self.spec)}")
        for field, (default, _) in self.spec.items():
            value = hyperparameters.get(field)
            setattr(self, field, default if value is None else value)
        self.iterations = 0
        self.state = {}
        self._layout = None
        self._plan = None
        self._scratch_rows_0_1 = None
        self._scratch = ()
        self._quotients = None

    def __repr__(self):
        values = ", ".join(f"{field}={getattr(self, field)!r}" for field in self.spec)
        return f"{type(self).__name__}(name={self.name!r}, {values})"

    @property
    def copies(self):
        """What the last :meth:`apply` copied: ``(weights, gradients)``, each True when those
        arrays were not consecutive C-contiguous views of one flat buffer of the weights' dtype
        and were packed into one (the weights then copied back). ``(False, False)`` is the
        in-place fast path; None before the first ``apply``."""
        plan = self._plan
        return None if plan is None else (plan.pack_params, plan.pack_grads)

    def apply(self, params, grads):
        """Update ``params`` in place from ``grads``.

        Parameters
        ----------
        params : list of ndarray
            Parameter arrays, all float32 or all float64, writeable. Consecutive C-contiguous
            views of one flat buffer are updated through that buffer directly.
        grads : list of ndarray
            Gradients, one per parameter array and of its shape.

        Raises
        ------
        ConfigError
            When the lists do not match each other or the arrays the optimizer was built for.
        ValueError
            When a gradient holds NaN or infinity; the parameters are then left unchanged.
        """
        plan = self._plan
        if plan is None or not plan.matches(params, grads):
            plan = self._plan = self._make_plan(params, grads)
        if plan.packed:
            plan.pack()
        weights, gradients = plan.weights, plan.gradients
        # One pass over the flat gradient; np.isfinite raises no floating-point warnings.
        if not np.logical_and.reduce(np.isfinite(gradients, out=plan.finite)):
            self._raise_non_finite(gradients)
        learning_rate = self.learning_rate
        if self.decoupled_weight_decay and self.weight_decay:
            # Keras's _apply_weight_decay: var -= var * weight_decay * lr, before the step.
            decay = self._scratch[0]
            np.multiply(weights, self.weight_decay, out=decay)
            decay *= learning_rate
            weights -= decay
        self.update_step(gradients, weights, learning_rate)
        if plan.pack_params:
            plan.unpack()
        self.iterations += 1

    @abstractmethod
    def update_step(self, gradient, variable, learning_rate):
        """Apply one step of the rule to the flat buffers (each optimizer defines it).

        Parameters
        ----------
        gradient : ndarray, shape (n_weights,)
        variable : ndarray, shape (n_weights,)
            Updated in place.
        learning_rate : float
        """

    def build(self, size, dtype):
        """Create the flat state arrays (each optimizer adds its own with ``add_slot``).

        Parameters
        ----------
        size : int
            Total number of weights.
        dtype : numpy.dtype
        """

    def add_slot(self, slot, size, dtype, fill=0.0):
        """Add one flat state array named ``slot``, filled with ``fill``.

        Returns
        -------
        ndarray, shape (size,)
        """
        self.state[slot] = np.full(size, fill, dtype=dtype)
        return self.state[slot]

    def flush_subnormals(self):
        """Set state entries smaller in magnitude than the smallest normal float to zero.

        Subnormal numbers make every later operation on them several times slower; the trainer
        calls this once per epoch.

        Returns
        -------
        int
            Number of entries set to zero (exact zeros are not counted).
        """
        flushed = 0
        for values in self.state.values():
            tiny = (np.abs(values) < np.finfo(values.dtype).tiny) & (values != 0)
            flushed += int(np.count_nonzero(tiny))
            values[tiny] = 0
        return flushed

    def _make_plan(self, params, grads):
        shapes, dtype = self._check_arrays(params, grads)
        layout = self._layout
        if layout is None:
            layout = self._layout = _Layout(shapes, dtype)
            # One block, so rows 0 and 1 can be squared into and reduced with one reduceat.
            block = np.empty((self.scratch_buffers, layout.size), dtype)
            self._scratch = tuple(block)
            self._scratch_rows_0_1 = block[:2]
            self._quotients = np.ones(len(shapes), dtype)
            self.build(layout.size, dtype)
        elif (shapes, dtype) != (layout.shapes, layout.dtype):
            raise ConfigError(
                f"optimizer '{self.name}' was built for {layout.describe()}; received "
                f"{_Layout.describe_arrays(shapes, dtype)}. Create a new optimizer for other "
                f"parameters")
        return _Plan(params, grads, layout)

    def _check_arrays(self, params, grads):
        """Validate the two lists; return the parameters' shapes and dtype."""
        for label, arrays in (("params", params), ("grads", grads)):
            if not isinstance(arrays, (list, tuple)):
                raise ConfigError(f"optimizer '{self.name}': {label} must be a list of ndarrays; "
                                  f"received {type(arrays).__name__}")
            for index, array in enumerate(arrays):
                if not isinstance(array, np.ndarray):
                    raise ConfigError(f"optimizer '{self.name}': {label}[{index}] must be an "
                                      f"ndarray; received {type(array).__name__}")
        if len(params) != len(grads) or not params:
            raise ConfigError(f"optimizer '{self.name}': params and grads must be non-empty lists "
                              f"of the same length; received {len(params)} parameter arrays and "
                              f"{len(grads)} gradient arrays")
        dtype = params[0].dtype
        for index, (param, grad) in enumerate(zip(params, grads)):
            if param.dtype != dtype or dtype not in (np.float32, np.float64):
                raise ConfigError(f"optimizer '{self.name}': parameter arrays must all be float32 "
                                  f"or all float64; params[{index}] is {param.dtype}, params[0] "
                                  f"is {dtype}")
            if not param.flags.writeable:
                raise ConfigError(f"optimizer '{self.name}': params[{index}] (shape "
                                  f"{param.shape}) is read-only; parameters are updated in place")
            if param.size == 0:
                raise ConfigError(f"optimizer '{self.name}': params[{index}] has shape "
                                  f"{param.shape}; parameter arrays must not be empty")
            if grad.shape != param.shape:
                raise ConfigError(f"optimizer '{self.name}': grads[{index}] has shape "
                                  f"{grad.shape} but params[{index}] has shape {param.shape}")
            if not np.issubdtype(grad.dtype, np.floating):
                raise ConfigError(f"optimizer '{self.name}': grads[{index}] must be a float "
                                  f"array; received dtype {grad.dtype}")
        return tuple(param.shape for param in params), dtype

    def _raise_non_finite(self, gradients):
        layout = self._layout
        bad = np.flatnonzero(~np.isfinite(gradients))
        arrays = np.unique(np.searchsorted(layout.starts, bad, side="right") - 1).tolist()
        first = int(bad[0])
        array = arrays[0]
        where = np.unravel_index(first - int(layout.starts[array]), layout.shapes[array])
        raise ValueError(
            f"optimizer '{self.name}': the gradient of parameter array{'s' * (len(arrays) > 1)} "
            f"{', '.join(map(str, arrays))} is not finite ({bad.size} NaN or infinite values; "
            f"array {array} of shape {layout.shapes[array]} holds {gradients[first]} at index "
            f"{tuple(int(i) for i in where)}). The weights were left unchanged; a non-finite "
            f"gradient usually means the learning rate is too high")

    def _per_array_norms(self, first, second):
        """Euclidean norm of each parameter array's piece of two flat buffers.

        Small models: squares into scratch rows 0 and 1 and one ``np.add.reduceat`` (a few
        calls whatever the number of arrays). Large ones: a BLAS dot per piece, which reads each
        buffer once and writes nothing; above ``_LARGE_MODEL`` weights that is cheaper.

        Parameters
        ----------
        first, second : ndarray, shape (n_weights,)
            Neither may be scratch row 0 or 1.

        Returns
        -------
        ndarray, shape (2, n_arrays)
            Row 0: norms of ``first``'s pieces; row 1: norms of ``second``'s.
        """
        layout = self._layout
        if layout.size >= _LARGE_MODEL:
            squares = np.array([[np.dot(buffer[piece], buffer[piece]) for piece in layout.slices]
                                for buffer in (first, second)])
        else:
            np.square(first, out=self._scratch[0])
            np.square(second, out=self._scratch[1])
            squares = np.add.reduceat(self._scratch_rows_0_1, layout.starts, axis=1)
        return np.sqrt(squares, out=squares)

    def _trust_ratios(self, numerator, denominator, weight_norms, other_norms, scale=1.0):
        """numerator / denominator * scale per array, or 1 where either norm is 0.

        Keras's Lamb and torchlars both fall back to 1 when the weights or the gradient
        (update) of a parameter array are all zero.

        Parameters
        ----------
        numerator, denominator, weight_norms, other_norms : ndarray, shape (n_arrays,)
        scale : float

        Returns
        -------
        ndarray, shape (n_arrays,)
            A new array, so callers may keep it.
        """
        positive = np.minimum(weight_norms, other_norms) > 0
        # Entries outside ``positive`` keep earlier finite values; np.where replaces them by 1.
        quotients = self._quotients
        np.divide(numerator, denominator, out=quotients, where=positive)
        return np.where(positive, quotients * scale if scale != 1.0 else quotients, 1.0)

    def _scale_per_array(self, source, factors, out):
        """``out = source * factor`` of each parameter array's piece (flat buffers; ``out`` may
        be ``source``). ``factors``: ndarray, shape (n_arrays,).

        Below ``_LARGE_MODEL`` weights the factors are spread over the weights and multiplied in
        once; from it on, one multiply per array. Timed for spreading and multiplying (gather /
        np.repeat / one multiply per array): 337 weights in 6 arrays 0.9 / 1.5 / 5.3 us; 8.7k
        in 8, 10.1 / 4.8 / 8.3 us; 85k in 6, 94 / 36 / 31 us (the repeat's 680 kB temporary).
        """
        layout = self._layout
        if layout.size >= _LARGE_MODEL:
            for piece, factor in zip(layout.slices, factors.tolist()):
                np.multiply(source[piece], factor, out=out[piece])
            return out
        if layout.size < _GATHER_UP_TO:
            spread = factors[layout.array_of_weight]
        else:
            spread = np.repeat(factors, layout.sizes)
        return np.multiply(source, spread, out=out)


class SGD(Optimizer):
    """Gradient descent with optional (Nesterov) momentum, as Keras 3's ``SGD``."""

    name = "sgd"
    spec = {"learning_rate": (0.01, _NON_NEGATIVE), "momentum": (0.0, _FRACTION),
            "nesterov": (False, _FLAG)}
    scratch_buffers = 2

    def build(self, size, dtype):
        self.add_slot("momentum", size, dtype)

    def update_step(self, gradient, variable, learning_rate):
        """One SGD step.

        ``momentum == 0``:  ``w = w - learning_rate * g``

        otherwise::

            m = momentum * m - learning_rate * g
            w = w + m                                       # nesterov=False
            w = w + momentum * m - learning_rate * g        # nesterov=True
        """
        step = self._scratch[0]
        np.multiply(gradient, learning_rate, out=step)
        if self.momentum == 0:
            variable -= step
            return
        m = self.state["momentum"]
        m *= self.momentum
        m -= step
        if self.nesterov:
            look_ahead = self._scratch[1]
            np.multiply(m, self.momentum, out=look_ahead)
            look_ahead -= step
            variable += look_ahead
        else:
            variable += m


class RMSprop(Optimizer):
    """RMSprop, plain or centered, with optional momentum, as Keras 3's ``RMSprop``."""

    name = "rmsprop"
    spec = {"learning_rate": (0.001, _NON_NEGATIVE), "rho": (0.9, _FRACTION),
            "momentum": (0.0, _FRACTION), "epsilon": (1e-7, _POSITIVE),
            "centered": (False, _FLAG)}
    scratch_buffers = 2

    def build(self, size, dtype):
        self.add_slot("velocity", size, dtype)
        self.add_slot("momentum", size, dtype)
        self.add_slot("average_gradient", size, dtype)

    def update_step(self, gradient, variable, learning_rate):
        """One RMSprop step::

            v = rho * v + (1 - rho) * g**2
            a = rho * a + (1 - rho) * g                     # centered only
            denominator = v - a**2 + epsilon if centered else v + epsilon
            increment = learning_rate * g / sqrt(denominator)
            m = momentum * m + increment; w = w - m         # momentum > 0
            w = w - increment                               # momentum == 0
        """
        rho = self.rho
        v = self.state["velocity"]
        denominator, increment = self._scratch
        v *= rho
        np.square(gradient, out=denominator)
        denominator *= 1 - rho
        v += denominator
        if self.centered:
            a = self.state["average_gradient"]
            a *= rho
            np.multiply(gradient, 1 - rho, out=denominator)
            a += denominator
            np.square(a, out=denominator)
            np.subtract(v, denominator, out=denominator)
            denominator += self.epsilon
        else:
            np.add(v, self.epsilon, out=denominator)
        np.sqrt(denominator, out=denominator)
        np.multiply(gradient, learning_rate, out=increment)
        increment /= denominator
        if self.momentum > 0:
            m = self.state["momentum"]
            m *= self.momentum
            m += increment
            variable -= m
        else:
            variable -= increment


class Adam(Optimizer):
    """Adam, optionally AMSGrad, as Keras 3's ``Adam``."""

    name = "adam"
    spec = {"learning_rate": (0.001, _NON_NEGATIVE), "beta_1": (0.9, _FRACTION),
            "beta_2": (0.999, _FRACTION), "epsilon": (1e-7, _POSITIVE),
            "amsgrad": (False, _FLAG)}
    scratch_buffers = 2

    def build(self, size, dtype):
        self.add_slot("momentum", size, dtype)
        self.add_slot("velocity", size, dtype)
        if self.amsgrad:  # as Keras, only then; update_step adds it if amsgrad is turned on
            self.add_slot("velocity_hat", size, dtype)

    def update_step(self, gradient, variable, learning_rate):
        """One Adam step at step t = iterations + 1::

            alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)
            m = m + (g - m) * (1 - beta_1)
            v = v + (g**2 - v) * (1 - beta_2)
            v_hat = maximum(v_hat, v); v = v_hat            # amsgrad only
            w = w - m * alpha / (sqrt(v) + epsilon)
        """
        t = self.iterations + 1
        alpha = learning_rate * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        m, v = self.state["momentum"], self.state["velocity"]
        work, step = self._scratch
        np.subtract(gradient, m, out=work)
        work *= 1 - self.beta_1
        m += work
        np.square(gradient, out=work)
        work -= v
        work *= 1 - self.beta_2
        v += work
        if self.amsgrad:
            v_hat = self.state.get("velocity_hat")
            if v_hat is None:  # switched on during the run: the maximum starts from here
                v_hat = self.add_slot("velocity_hat", v.size, v.dtype)
            v = np.maximum(v_hat, v, out=v_hat)
        np.sqrt(v, out=work)
        work += self.epsilon
        np.multiply(m, alpha, out=step)
        step /= work
        variable -= step


class AdamW(Adam):
    """Adam with decoupled weight decay, as Keras 3's ``AdamW``.

    Before each Adam step the base class applies ``w = w - w * weight_decay * learning_rate``.
    """

    name = "adamw"
    spec = {"learning_rate": (0.001, _NON_NEGATIVE), "weight_decay": (0.004, _NON_NEGATIVE),
            "beta_1": (0.9, _FRACTION), "beta_2": (0.999, _FRACTION),
            "epsilon": (1e-7, _POSITIVE), "amsgrad": (False, _FLAG)}
    decoupled_weight_decay = True


class Adagrad(Optimizer):
    """Adagrad, as Keras 3's ``Adagrad``."""

    name = "adagrad"
    spec = {"learning_rate": (0.001, _NON_NEGATIVE),
            "initial_accumulator_value": (0.1, _NON_NEGATIVE), "epsilon": (1e-7, _POSITIVE)}
    scratch_buffers = 2

    def build(self, size, dtype):
        self.add_slot("accumulator", size, dtype, fill=self.initial_accumulator_value)

    def update_step(self, gradient, variable, learning_rate):
        """One Adagrad step::

            accumulator = accumulator + g**2
            w = w - learning_rate * g / sqrt(accumulator + epsilon)
        """
        accumulator = self.state["accumulator"]
        work, step = self._scratch
        np.square(gradient, out=work)
        accumulator += work
        np.add(accumulator, self.epsilon, out=work)
        np.sqrt(work, out=work)
        np.multiply(gradient, learning_rate, out=step)
        step /= work
        variable -= step


class Lamb(Optimizer):
    """Lamb (layer-wise adaptive Adam), as Keras 3's ``Lamb``; exposes ``trust_ratios``.

    ``exclude_bias=True`` leaves biases (1-D parameter arrays) out of the layer-wise adaptation:
    their ratio is 1 and they take the unscaled update, as ``exclude_from_layer_adaptation``
    of "bias" does in the Lamb of TensorFlow Addons and of You et al. 2019's BERT training.
    """

    name = "lamb"
    spec = {"learning_rate": (0.001, _NON_NEGATIVE), "beta_1": (0.9, _FRACTION),
            "beta_2": (0.999, _FRACTION), "epsilon": (1e-7, _POSITIVE),
            "exclude_bias": (False, _FLAG)}
    scratch_buffers = 3

    def build(self, size, dtype):
        self.add_slot("momentum", size, dtype)
        self.add_slot("velocity", size, dtype)

    def update_step(self, gradient, variable, learning_rate):
        """One Lamb step at step t = iterations + 1, per parameter array::

            m = m + (g - m) * (1 - beta_1)
            v = v + (g**2 - v) * (1 - beta_2)
            update = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)
            ratio = ||w|| / ||update|| if ||w|| > 0 and ||update|| > 0 else 1
                    (1 for biases when exclude_bias)
            w = w - ratio * learning_rate * update
        """
        t = self.iterations + 1
        m, v = self.state["momentum"], self.state["velocity"]
        work, _, update = self._scratch
        np.subtract(gradient, m, out=work)
        work *= 1 - self.beta_1
        m += work
        np.square(gradient, out=work)
        work -= v
        work *= 1 - self.beta_2
        v += work
        np.divide(v, 1 - self.beta_2 ** t, out=work)
        np.sqrt(work, out=work)
        work += self.epsilon
        np.divide(m, 1 - self.beta_1 ** t, out=update)
        update /= work
        weight_norms, update_norms = self._per_array_norms(variable, update)
        ratios = self._trust_ratios(weight_norms, update_norms, weight_norms, update_norms)
        if self.exclude_bias:
            ratios[list(self._layout.is_bias)] = 1.0
        self.trust_ratios = ratios
        self._scale_per_array(update, ratios * learning_rate, out=update)
        variable -= update


class LARS(Optimizer):
    """LARS (You et al. 2017) as torchlars wrapping ``torch.optim.SGD`` with momentum.

    ``eps`` (torchlars's name) is accepted as an alias of ``epsilon``. The learning rate
    default is the 0.01 of the SGD it wraps (torchlars itself has none).

    torchlars adapts every parameter array alike. A zero-initialised bias has ||w|| = 0, so its
    trust ratio falls back to 1 and it moves by the full ``learning_rate * g`` -- at the large
    learning rates of large-batch runs, a big jump. ``exclude_bias=True`` does what You et al.
    and the LARS of large-batch vision training do (SimCLR's ``exclude_from_weight_decay`` and
    ``exclude_from_layer_adaptation`` of "bias"): biases (1-D parameter arrays) get neither the
    trust ratio (it is recorded as 1) nor weight decay, so they take plain SGD-with-momentum
    steps. The default, False, is torchlars's behaviour.
    """

    name = "lars"
    spec = {"learning_rate": (0.01, _NON_NEGATIVE), "momentum": (0.9, _FRACTION),
            "weight_decay": (0.0, _NON_NEGATIVE), "trust_coef": (0.001, _NON_NEGATIVE),
            "epsilon": (1e-8, _NON_NEGATIVE), "exclude_bias": (False, _FLAG)}
    aliases = {"eps": "epsilon"}
    scratch_buffers = 2

    @property
    def eps(self):
        """torchlars's name for ``epsilon``."""
        return self.epsilon

    @eps.setter
    def eps(self, value):
        self.epsilon = value

    def build(self, size, dtype):
        self.add_slot("momentum_buffer", size, dtype)

    def update_step(self, gradient, variable, learning_rate):
        """One LARS step, per parameter array::

            trust = ||w|| / (||g|| + weight_decay * ||w|| + eps) * trust_coef
                    if ||w|| > 0 and ||g|| > 0 else 1
            trust = 1 and weight_decay = 0 for biases when exclude_bias
            g' = (g + weight_decay * w) * trust
            buf = g' on the first step, else momentum * buf + g'
            w = w - learning_rate * buf
        """
        weight_norms, gradient_norms = self._per_array_norms(variable, gradient).tolist()
        # a handful of arrays: plain floats beat a chain of tiny NumPy calls here
        weight_decay, epsilon, trust_coef = self.weight_decay, self.epsilon, self.trust_coef
        excluded = self._layout.is_bias if self.exclude_bias else (False,) * len(weight_norms)
        trust = np.array([
            1.0 if skip else
            trust_coef * w / (g + weight_decay * w + epsilon) if w > 0 and g > 0 else 1.0
            for w, g, skip in zip(weight_norms, gradient_norms, excluded)], dtype=variable.dtype)
        self.trust_ratios = trust
        scaled = self._scratch[0]
        if self.weight_decay:
            if any(excluded):
                decays = np.array([0.0 if skip else weight_decay for skip in excluded],
                                  dtype=variable.dtype)
                self._scale_per_array(variable, decays, out=scaled)
            else:
                np.multiply(variable, self.weight_decay, out=scaled)
            scaled += gradient
            self._scale_per_array(scaled, trust, out=scaled)
        else:
            self._scale_per_array(gradient, trust, out=scaled)
        # The buffer starts at zero, so the first step gives buf = g' exactly, as torch's SGD.
        buffer = self.state["momentum_buffer"]
        buffer *= self.momentum
        buffer += scaled
        np.multiply(buffer, learning_rate, out=scaled)
        variable -= scaled


_REGISTRY = {
    "sgd": (SGD, {}),
    "momentum": (SGD, {"momentum": 0.9}),
    "nesterov": (SGD, {"momentum": 0.9, "nesterov": True}),
    "rmsprop": (RMSprop, {}),
    "adam": (Adam, {}),
    "adamw": (AdamW, {}),
    "adagrad": (Adagrad, {}),
    "lamb": (Lamb, {}),
    "lars": (LARS, {}),
}


def names():
    """Canonical optimizer names, in the order the GUI lists them.

    Returns
    -------
    list of str
    """
    return list(_REGISTRY)


def _lookup(name):
    if not isinstance(name, str) or name.lower() not in _REGISTRY:
        raise ConfigError(f"optimizer {name!r} is not known; valid names: "
                          f"{', '.join(_REGISTRY)} (case-insensitive)")
    return name.lower()


def get(name, **hyperparameters):
    """Build an optimizer by name with Keras-style keyword hyperparameters.

    Parameters
    ----------
    name : str
        One of ``names()``, case-insensitive (so Keras class names such as "Adam", "RMSprop"
        and "SGD" work). "momentum" and "nesterov" are SGD presets with momentum 0.9.
    **hyperparameters
        Any of ``hyperparameters(name)``; None means the default. LARS also takes ``eps``.

    Returns
    -------
    Optimizer

    Raises
    ------
    ConfigError
        For an unknown name, an unknown keyword or an invalid value.
    """
    canonical = _lookup(name)
    cls, preset = _REGISTRY[canonical]
    values = dict(preset)
    values.update((field, value) for field, value in hyperparameters.items()
                  if value is not None)
    return cls(name=canonical, **values)


def hyperparameters(name):
    """The hyperparameters an optimizer takes, with their defaults.

    Parameters
    ----------
    name : str
        One of ``names()`` (case-insensitive).

    Returns
    -------
    dict of str to float or bool
        {hyperparameter: default}, learning_rate first, presets applied.
    """
    cls, preset = _REGISTRY[_lookup(name)]
    defaults = {field: default for field, (default, _) in cls.spec.items()}
    defaults.update(preset)
    return defaults

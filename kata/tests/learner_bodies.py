'''Learner bodies, as learners write them: wrong ones (each with the words its first diagnosis must
hold) and right ones in forms other than the book's. kata/tests/test_learner_bodies.py runs each
through the real runner, in a workspace of the book's code (kata/tests/book_forms.py) with only
these bodies replaced.

Instructor-only (kata/tests/ is never exported): the right bodies are solutions.
'''
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from kata import stubs

import book_forms


@dataclass(frozen=True)
class Body:
    id: str
    exercise: str
    sources: dict                      # "module:Qualified.name" -> the function as the learner typed it
    names: tuple = ()                  # wrong: words the first diagnosis must hold (any one of them)
    notes: frozenset = field(default_factory=frozenset)  # right: notes it must be shown (besides others)

    @property
    def wrong(self):
        return bool(self.names)


def write(ws, body):
    """A book-form workspace with the body's functions in place."""
    book_forms.write_book_workspace(ws)
    for target, source in body.sources.items():
        module, qualname = target.split(":")
        path = Path(ws) / f"{module}.py"
        text = path.read_text(encoding="utf-8")
        _, _, old = stubs.function_text(text, qualname)
        first = old.splitlines()[0]
        indent = first[:len(first) - len(first.lstrip())]
        new = textwrap.indent(textwrap.dedent(source).strip("\n"), indent) + "\n"
        path.write_text(stubs.replace_function(text, qualname, new), encoding="utf-8")
    return ws


L, F, G, N, T = "layers", "functions", "gradient", "two_layer_net", "train_neuralnet"

WRONG = [
    Body("mul-dy-not-swapped", "5.4.1", {f"{L}:MulLayer.backward": """
def backward(self, dout):
    dx = dout * self.y
    dy = dout * self.y
    return dx, dy
"""}, ("dz/dy = x",)),
    Body("mul-forward-keeps-nothing", "5.4.1", {f"{L}:MulLayer.forward": """
def forward(self, x, y):
    return x * y
"""}, ("None",)),
    Body("mul-ignores-dout", "5.4.1", {f"{L}:MulLayer.backward": """
def backward(self, dout):
    return self.y, self.x
"""}, ("dout",)),
    Body("add-dy-zero", "5.4.2", {f"{L}:AddLayer.backward": """
def backward(self, dout):
    dx = dout * 1
    dy = dout * 0
    return dx, dy
"""}, ("0",)),
    Body("add-backward-no-return", "5.4.2", {f"{L}:AddLayer.backward": """
def backward(self, dout):
    dx = dout * 1
    dy = dout * 1
"""}, ("return",)),
    Body("affine-forward-no-return", "5.6.2", {f"{L}:Affine.forward": """
def forward(self, x):
    self.x = x
    out = np.dot(x, self.W) + self.b
"""}, ("return",)),
    Body("relu-mask-inverted", "5.5.1", {f"{L}:Relu.forward": """
def forward(self, x):
    self.mask = (x > 0)
    out = x.copy()
    out[self.mask] = 0
    return out
"""}, ("inverted",)),
    Body("relu-mask-kept-from-first-call", "5.5.1", {f"{L}:Relu.forward": """
def forward(self, x):
    if self.mask is None:
        self.mask = x <= 0
    out = x.copy()
    out[self.mask] = 0
    return out
"""}, ("first call",)),
    Body("relu-strict-mask", "5.5.1", {f"{L}:Relu.forward": """
def forward(self, x):
    self.mask = (x < 0)
    out = x.copy()
    out[self.mask] = 0
    return out
"""}, ("x <= 0",)),
    Body("sigmoid-backward-uses-x", "5.5.2", {f"{L}:Sigmoid.forward": """
def forward(self, x):
    self.x = x
    self.out = 1 / (1 + np.exp(-x))
    return self.out
""", f"{L}:Sigmoid.backward": """
def backward(self, dout):
    return dout * self.x * (1 - self.x)
"""}, ("not the input x",)),
    Body("sigmoid-sign-inside-exp", "5.5.2", {f"{L}:Sigmoid.forward": """
def forward(self, x):
    out = 1 / (1 + np.exp(x))
    self.out = out
    return out
"""}, ("sign inside exp",)),
    Body("sigmoid-one-plus-out", "5.5.2", {f"{L}:Sigmoid.backward": """
def backward(self, dout):
    return dout * self.out * (1.0 + self.out)
"""}, ("(1 - out)",)),
    Body("sigmoid-nan-far-out", "5.5.2", {f"{L}:Sigmoid.forward": """
def forward(self, x):
    e = np.exp(x)
    self.out = e / (1 + e)
    return self.out
"""}, ("inf / inf",)),
    Body("affine-db-summed-everywhere", "5.6.2", {f"{L}:Affine.backward": """
def backward(self, dout):
    dx = np.dot(dout, self.W.T)
    self.dW = np.dot(self.x.T, dout)
    self.db = np.sum(dout)
    return dx
"""}, ("axis=0",)),
    Body("affine-dW-product-order", "5.6.2", {f"{L}:Affine.backward": """
def backward(self, dout):
    dx = np.dot(dout, self.W.T)
    self.dW = np.dot(self.x, dout)
    self.db = np.sum(dout, axis=0)
    return dx
"""}, ("shapes", "transposed")),
    Body("affine-forgets-x", "5.6.2", {f"{L}:Affine.forward": """
def forward(self, x):
    out = np.dot(x, self.W) + self.b
    return out
"""}, ("self.x",)),
    Body("affine-no-bias", "5.6.2", {f"{L}:Affine.forward": """
def forward(self, x):
    self.x = x
    return np.dot(x, self.W)
"""}, ("bias",)),
    Body("affine-tensor-not-reshaped-back", "5.6.2", {f"{L}:Affine.forward": """
def forward(self, x):
    x = x.reshape(x.shape[0], -1)
    self.x = x
    return np.dot(x, self.W) + self.b
"""}, ("reshape",)),
    Body("softmax-no-max-shift", "4.2", {f"{F}:softmax": """
def softmax(x):
    if x.ndim == 2:
        return np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x))
"""}, ("maximum",)),
    Body("softmax-sum-over-batch", "4.2", {f"{F}:softmax": """
def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x))
"""}, ("whole batch",)),
    Body("cross-entropy-no-delta", "4.2", {f"{F}:cross_entropy_error": """
def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y)) / batch_size
"""}, ("delta",)),
    Body("cross-entropy-sum-not-mean", "4.2", {f"{F}:cross_entropy_error": """
def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    return -np.sum(t * np.log(y + 1e-7))
"""}, ("batch size",)),
    Body("softmax-loss-no-batch-division", "5.6.3", {f"{L}:SoftmaxWithLoss.backward": """
def backward(self, dout=1):
    return self.y - self.t
"""}, ("batch size", "constant factor")),
    Body("softmax-loss-sign", "5.6.3", {f"{L}:SoftmaxWithLoss.backward": """
def backward(self, dout=1):
    batch_size = self.t.shape[0]
    return (self.t - self.y) / batch_size
"""}, ("sign",)),
    Body("softmax-loss-on-scores", "5.6.3", {f"{L}:SoftmaxWithLoss.forward": """
def forward(self, x, t):
    self.t = t
    self.y = x
    self.loss = cross_entropy_error(softmax(x), t)
    return self.loss
"""}, ("softmax output",)),
    Body("softmax-loss-label-branch-adds", "5.6.3", {f"{L}:SoftmaxWithLoss.backward": """
def backward(self, dout=1):
    batch_size = self.t.shape[0]
    if self.t.size == self.y.size:
        return (self.y - self.t) / batch_size
    dx = self.y.copy()
    dx[np.arange(batch_size), self.t] += 1
    return dx / batch_size
"""}, ("subtracting",)),
    Body("softmax-loss-ten-classes", "5.6.3", {f"{L}:SoftmaxWithLoss.backward": """
def backward(self, dout=1):
    batch_size = self.t.shape[0]
    t = self.t if self.t.ndim == 2 else np.eye(10)[self.t]
    return (self.y - t) / batch_size
"""}, ("classes",)),
    Body("softmax-loss-dout-added", "5.6.3", {f"{L}:SoftmaxWithLoss.backward": """
def backward(self, dout=1):
    batch_size = self.t.shape[0]
    return (self.y - self.t) / batch_size + (dout - 1)
"""}, ("SoftmaxWithLoss dx",)),
    Body("numerical-gradient-forward-difference", "4.4", {f"{G}:numerical_gradient": """
def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        fx = f(x)
        x[idx] = tmp_val + h
        grad[idx] = (f(x) - fx) / h
        x[idx] = tmp_val
    return grad
"""}, ("centred difference",)),
    Body("numerical-gradient-not-restored", "4.4", {f"{G}:numerical_gradient": """
def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
    return grad
"""}, ("tmp_val",)),
    Body("numerical-gradient-precedence", "4.4", {f"{G}:numerical_gradient": """
def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / 2*h
        x[idx] = tmp_val
    return grad
"""}, ("(2*h)",)),
    Body("numerical-gradient-perturbs-a-copy", "4.4", {f"{G}:numerical_gradient": """
def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xh = x.copy()
        xh[idx] += h
        fxh1 = f(xh)
        xh[idx] -= 2 * h
        fxh2 = f(xh)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
    return grad
"""}, ("every value is 0",)),
    Body("net-gradient-not-reversed", "5.7.2", {f"{N}:TwoLayerNet.gradient": """
def gradient(self, x, t):
    self.loss(x, t)
    dout = self.lastLayer.backward(1)
    for layer in self.layers.values():
        dout = layer.backward(dout)
    return {'W1': self.layers['Affine1'].dW, 'b1': self.layers['Affine1'].db,
            'W2': self.layers['Affine2'].dW, 'b2': self.layers['Affine2'].db}
"""}, ("shapes",)),
    Body("net-gradient-keys-swapped", "5.7.2", {f"{N}:TwoLayerNet.gradient": """
def gradient(self, x, t):
    self.loss(x, t)
    dout = self.lastLayer.backward(1)
    for layer in reversed(list(self.layers.values())):
        dout = layer.backward(dout)
    return {'W1': self.layers['Affine2'].dW, 'b1': self.layers['Affine2'].db,
            'W2': self.layers['Affine1'].dW, 'b2': self.layers['Affine1'].db}
"""}, ("which layer",)),
    Body("net-gradient-from-the-loss", "5.7.2", {f"{N}:TwoLayerNet.gradient": """
def gradient(self, x, t):
    dout = self.loss(x, t)
    dout = self.lastLayer.backward(dout)
    for layer in reversed(list(self.layers.values())):
        dout = layer.backward(dout)
    return {'W1': self.layers['Affine1'].dW, 'b1': self.layers['Affine1'].db,
            'W2': self.layers['Affine2'].dW, 'b2': self.layers['Affine2'].db}
""", f"{L}:SoftmaxWithLoss.backward": """
def backward(self, dout=1):
    return dout * (self.y - self.t) / self.t.shape[0]
"""}, ("times the loss",)),
    Body("train-step-rebinds", "5.7.4", {f"{T}:train_step": """
def train_step(network, x_batch, t_batch, learning_rate):
    grad = network.gradient(x_batch, t_batch)
    for key in ('W1', 'b1', 'W2', 'b2'):
        network.params[key] = network.params[key] - learning_rate * grad[key]
    return network.loss(x_batch, t_batch)
"""}, ("in place",)),
    Body("train-step-uphill", "5.7.4", {f"{T}:train_step": """
def train_step(network, x_batch, t_batch, learning_rate):
    grad = network.gradient(x_batch, t_batch)
    for key in ('W1', 'b1', 'W2', 'b2'):
        network.params[key] += learning_rate * grad[key]
    return network.loss(x_batch, t_batch)
"""}, ("uphill",)),
]

RIGHT = [
    Body("relu-keeps-x-not-mask", "5.5.1", {f"{L}:Relu.forward": """
def forward(self, x):
    self.x = x
    return np.maximum(0, x)
""", f"{L}:Relu.backward": """
def backward(self, dout):
    return dout * (self.x > 0)
"""}),
    Body("relu-copy-then-zero", "5.5.1", {f"{L}:Relu.backward": """
def backward(self, dout):
    dx = dout.copy()
    dx[self.mask] = 0
    return dx
"""}),
    Body("sigmoid-expanded", "5.5.2", {f"{L}:Sigmoid.backward": """
def backward(self, dout):
    return dout * self.out - dout * self.out ** 2
"""}, notes=frozenset({"sigmoid-no-overflow"})),
    Body("affine-official-repo", "5.6.2", {f"{L}:Affine.forward": """
def forward(self, x):
    self.original_x_shape = x.shape
    x = x.reshape(x.shape[0], -1)
    self.x = x
    return np.dot(self.x, self.W) + self.b
""", f"{L}:Affine.backward": """
def backward(self, dout):
    dx = np.dot(dout, self.W.T)
    self.dW = np.dot(self.x.T, dout)
    self.db = np.sum(dout, axis=0)
    return dx.reshape(*self.original_x_shape)
"""}),
    Body("affine-matmul", "5.6.2", {f"{L}:Affine.backward": """
def backward(self, dout):
    self.dW = self.x.T @ dout
    self.db = dout.sum(axis=0)
    return dout @ self.W.T
"""}),
    Body("softmax-keepdims", "4.2", {f"{F}:softmax": """
def softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
"""}),
    Body("cross-entropy-one-hot-form", "4.2", {f"{F}:cross_entropy_error": """
def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y + 1e-7)) / batch_size
"""}, notes=frozenset({"label-targets-ce"})),
    Body("softmax-loss-official-repo", "5.6.3", {f"{L}:SoftmaxWithLoss.backward": """
def backward(self, dout=1):
    batch_size = self.t.shape[0]
    if self.t.size == self.y.size:
        dx = (self.y - self.t) / batch_size
    else:
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        dx = dx / batch_size
    return dx
"""}, notes=frozenset({"scales-by-dout"})),
    Body("softmax-loss-returns-without-storing", "5.6.3", {f"{L}:SoftmaxWithLoss.forward": """
def forward(self, x, t):
    self.t = t
    self.y = softmax(x)
    return cross_entropy_error(self.y, self.t)
"""}),
    Body("softmax-loss-scaled-by-dout", "5.6.3", {f"{L}:SoftmaxWithLoss.backward": """
def backward(self, dout=1):
    return dout * (self.y - self.t) / self.t.shape[0]
"""}, notes=frozenset({"label-targets"})),
    Body("numerical-gradient-ndindex", "4.4", {f"{G}:numerical_gradient": """
def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
    return grad
"""}),
    Body("net-gradient-reversed-builtin", "5.7.2", {f"{N}:TwoLayerNet.gradient": """
def gradient(self, x, t):
    self.loss(x, t)
    dout = self.lastLayer.backward(1)
    for layer in reversed(list(self.layers.values())):
        dout = layer.backward(dout)
    return {'W1': self.layers['Affine1'].dW, 'b1': self.layers['Affine1'].db,
            'W2': self.layers['Affine2'].dW, 'b2': self.layers['Affine2'].db}
"""}),
    Body("train-step-returns-last-loss", "5.7.4", {f"{T}:train_step": """
def train_step(network, x_batch, t_batch, learning_rate):
    grad = network.gradient(x_batch, t_batch)
    for key in grad:
        network.params[key] -= learning_rate * grad[key]
    return network.lastLayer.loss
"""}),
]

'''The book's own code for every exercise, as a reader types it from the printed page.

Written from the book's printed forms (the Korean edition's notebook of Chapter 5 shows
the same code): each entry is a function or method exactly as the book prints it, with
the book's names, no validation lines, the book's in-place `dout[self.mask] = 0`, the
inline `1 / (1 + np.exp(-x))`, an Affine without reshape, a one-hot-only SoftmaxWithLoss,
and the chapter-4 numerical gradients. `train_step` is the body of the book's training
loop (section 5.7.4), whose loss is computed after the update.

Instructor-only (kata/tests/ is never exported): these are solutions.
'''
import textwrap
from pathlib import Path

from kata import stubs

BOOK = {
    "layers:MulLayer.forward": '''
    def forward(self, x, y):
        self.x = x
        self.y = y
        out = x * y

        return out
''',
    "layers:MulLayer.backward": '''
    def backward(self, dout):
        dx = dout * self.y  # swap x and y
        dy = dout * self.x

        return dx, dy
''',
    "layers:AddLayer.forward": '''
    def forward(self, x, y):
        out = x + y
        return out
''',
    "layers:AddLayer.backward": '''
    def backward(self, dout):
        dx = dout * 1
        dy = dout * 1
        return dx, dy
''',
    "layers:Relu.forward": '''
    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0

        return out
''',
    "layers:Relu.backward": '''
    def backward(self, dout):
        dout[self.mask] = 0
        dx = dout

        return dx
''',
    "layers:Sigmoid.forward": '''
    def forward(self, x):
        out = 1 / (1 + np.exp(-x))
        self.out = out

        return out
''',
    "layers:Sigmoid.backward": '''
    def backward(self, dout):
        dx = dout * (1.0 - self.out) * self.out

        return dx
''',
    "layers:Affine.forward": '''
    def forward(self, x):
        self.x = x
        out = np.dot(x, self.W) + self.b

        return out
''',
    "layers:Affine.backward": '''
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)

        return dx
''',
    "functions:softmax": '''
def softmax(x):
    if x.ndim == 2:
        x = x.T
        x = x - np.max(x, axis=0)
        y = np.exp(x) / np.sum(np.exp(x), axis=0)
        return y.T

    x = x - np.max(x)
    return np.exp(x) / np.sum(np.exp(x))
''',
    "functions:cross_entropy_error": '''
def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)

    if t.size == y.size:
        t = t.argmax(axis=1)

    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size
''',
    "layers:SoftmaxWithLoss.forward": '''
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)

        return self.loss
''',
    "layers:SoftmaxWithLoss.backward": '''
    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        dx = (self.y - self.t) / batch_size

        return dx
''',
    "gradient:numerical_gradient": '''
def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)

    it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)

        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2*h)

        x[idx] = tmp_val
        it.iternext()

    return grad
''',
    "two_layer_net:TwoLayerNet.predict": '''
    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)

        return x
''',
    "two_layer_net:TwoLayerNet.loss": '''
    def loss(self, x, t):
        y = self.predict(x)
        return self.lastLayer.forward(y, t)
''',
    "two_layer_net:TwoLayerNet.accuracy": '''
    def accuracy(self, x, t):
        y = self.predict(x)
        y = np.argmax(y, axis=1)
        if t.ndim != 1 : t = np.argmax(t, axis=1)

        accuracy = np.sum(y == t) / float(x.shape[0])
        return accuracy
''',
    "two_layer_net:TwoLayerNet.gradient": '''
    def gradient(self, x, t):
        # forward
        self.loss(x, t)

        # backward
        dout = 1
        dout = self.lastLayer.backward(dout)

        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)

        grads = {}
        grads['W1'] = self.layers['Affine1'].dW
        grads['b1'] = self.layers['Affine1'].db
        grads['W2'] = self.layers['Affine2'].dW
        grads['b2'] = self.layers['Affine2'].db

        return grads
''',
    "two_layer_net:TwoLayerNet.numerical_gradient": '''
    def numerical_gradient(self, x, t):
        loss_W = lambda W: self.loss(x, t)

        grads = {}
        grads['W1'] = numerical_gradient(loss_W, self.params['W1'])
        grads['b1'] = numerical_gradient(loss_W, self.params['b1'])
        grads['W2'] = numerical_gradient(loss_W, self.params['W2'])
        grads['b2'] = numerical_gradient(loss_W, self.params['b2'])

        return grads
''',
    "train_neuralnet:train_step": '''
def train_step(network, x_batch, t_batch, learning_rate):
    grad = network.gradient(x_batch, t_batch)

    for key in ('W1', 'b1', 'W2', 'b2'):
        network.params[key] -= learning_rate * grad[key]

    loss = network.loss(x_batch, t_batch)
    return loss
''',
}

# The row-wise numerical gradient of chapter 4 (gradient_2d.py), typed as the learner's
# numerical_gradient: enough for everything Chapter 5 differentiates (W is 2-D, b 1-D).
ROW_WISE = {
    "gradient:numerical_gradient": '''
def numerical_gradient(f, X):
    if X.ndim == 1:
        return _numerical_gradient_no_batch(f, X)
    else:
        grad = np.zeros_like(X)

        for idx, x in enumerate(X):
            grad[idx] = _numerical_gradient_no_batch(f, x)

        return grad


def _numerical_gradient_no_batch(f, x):
    h = 1e-4
    grad = np.zeros_like(x)

    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)

        x[idx] = tmp_val - h
        fxh2 = f(x)

        grad[idx] = (fxh1 - fxh2) / (2*h)
        x[idx] = tmp_val

    return grad
''',
}

# The notes the book-form workspace must be shown (extras beyond the book), per exercise: each one
# what that code really does (measured: every note test of these exercises finds the extra absent).
EXPECTED_NOTES = {
    "5.4.1": {"clear-errors", "clear-errors-silent"},
    "5.4.2": {"clear-errors-silent"},
    "5.5.1": {"relu-keeps-dout", "clear-errors", "clear-errors-silent"},
    "5.5.2": {"sigmoid-no-overflow", "clear-errors", "clear-errors-silent"},
    "5.6.2": {"tensor-input", "clear-errors", "clear-errors-silent"},
    "4.2": {"int-label", "clear-errors", "clear-errors-silent"},
    "5.6.3": {"label-targets", "scales-by-dout", "clear-errors", "clear-errors-silent"},
    "4.4": {"float-only"},
    "5.7.2": {"tensor-input", "clear-errors-silent"},
    "5.7.3": {"label-targets"},
    "5.7.4": {"label-targets"},
}


# The book's whole TwoLayerNet class, as the Colab notebook's cell shows it (section 5.7.2): its own
# __init__ (no seed=, no dtype=, np.random.randn), then the book's methods above, pasted over the
# workspace's class.
BOOK_INIT = '''
    def __init__(self, input_size, hidden_size, output_size,
                weight_init_std = 0.01):
        self.params = {}
        self.params['W1'] = weight_init_std * \\
                            np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = weight_init_std * \\
                            np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

        self.layers = OrderedDict()
        self.layers['Affine1'] = \\
            Affine(self.params['W1'], self.params['b1'])
        self.layers['Relu1'] = Relu()
        self.layers['Affine2'] = \\
            Affine(self.params['W2'], self.params['b2'])

        self.lastLayer = SoftmaxWithLoss()
'''
WHOLE_CLASS = {"two_layer_net:TwoLayerNet": "class TwoLayerNet:\n" + "\n".join(
    text.strip("\n") + "\n" for text in [BOOK_INIT] + [BOOK[f"two_layer_net:TwoLayerNet.{name}"] for name in (
        "predict", "loss", "accuracy", "numerical_gradient", "gradient")])}


def paste_class(ws, target, text):
    """Replace the whole class `target` ("module:Class") of the workspace by `text` (a pasted cell)."""
    import ast
    module, name = target.split(":")
    path = Path(ws) / f"{module}.py"
    source = path.read_text(encoding="utf-8")
    node = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == name)
    lines = source.splitlines(keepends=True)
    new = lines[:node.lineno - 1] + [textwrap.dedent(text).strip("\n") + "\n"] + lines[node.end_lineno:]
    path.write_text("".join(new), encoding="utf-8")


def _method_body(text):
    """The statements of a `def` (without its def line), dedented to column 0."""
    lines = textwrap.dedent(text).strip("\n").splitlines()
    return textwrap.dedent("\n".join(lines[1:]))


def write_book_workspace(ws, root=stubs.ROOT, keep_checks=False, forms=None, exercises=None, whole_class=False):
    """A workspace whose every target is the book's code.

    keep_checks=False: each whole function replaced by the book's (the learner pasted it);
    True: the stub's kept lines (docstring, check_ lines) stay and the book's body
    replaces only the `raise NotImplementedError` line.
    forms: {target: source} overriding BOOK (e.g. ROW_WISE).
    exercises: only the targets of these exercise ids (the others stay stubs): a half-done workspace.
    whole_class: then TwoLayerNet is the book's whole class pasted over the workspace's (its own __init__).
    """
    from kata.manifest import BY_ID
    ws = Path(ws)
    ws.mkdir(parents=True, exist_ok=True)
    stubs.write_modules(ws, root=root)
    chosen = dict(BOOK, **(forms or {}))
    if exercises is not None:
        wanted = {t for ex_id in exercises for t in BY_ID[ex_id].targets}
        chosen = {t: text for t, text in chosen.items() if t in wanted}
    for target, text in chosen.items():
        module, qualname = target.split(":")
        path = ws / f"{module}.py"
        source = path.read_text(encoding="utf-8")
        first, last, stub_text = stubs.function_text(source, qualname)
        indent = " " * (len(stub_text.splitlines()[-1]) - len(stub_text.splitlines()[-1].lstrip()))
        if keep_checks:
            kept = [line for line in stub_text.splitlines(keepends=True) if "raise NotImplementedError" not in line]
            body = textwrap.indent(_method_body(text.split("\n\n\ndef ")[0]), indent)
            new = "".join(kept) + body + "\n"
            extra = text.split("\n\n\ndef ", 1)[1] if "\n\n\ndef " in text else ""
            if extra:
                new += "\n\n" + textwrap.indent("def " + extra.strip("\n"), indent[:-4]) + "\n"
        else:
            new = textwrap.indent(textwrap.dedent(text).strip("\n"), indent[:-4]) + "\n"
        path.write_text(stubs.replace_function(source, qualname, new), encoding="utf-8")
    if whole_class:
        for target, text in WHOLE_CLASS.items():
            paste_class(ws, target, text)
    return ws

"""The kata's exercises, in the book's order: the single source of truth.

Each exercise names the functions/methods the learner writes ("module:Qualified.name"),
the exercises it needs first, and is verified by the tests marked
@pytest.mark.exercise("<id>"). Hints come in levels: a nudge, then the book's equation,
then the shape of the code (never the code itself); each in English and Korean.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hint:
    en: str
    ko: str


@dataclass(frozen=True)
class Exercise:
    id: str            # book section
    title: str
    targets: tuple     # "module:qualname" of each body the learner writes
    prereqs: tuple = ()
    hints: tuple = field(default=())   # levels: nudge -> the book's equation -> the code's shape
    title_ko: str = ""


EXERCISES = (
    Exercise(
        "5.4.1", "MulLayer: multiplication node",
        ("layers:MulLayer.forward", "layers:MulLayer.backward"),
        title_ko="MulLayer: 곱셈 계층",
        hints=(
            Hint("backward needs the inputs of forward: forward must remember x and y on self.",
                 "backward는 forward의 입력이 필요합니다: forward에서 x와 y를 self에 저장하세요."),
            Hint("z = x * y, so dz/dx = y and dz/dy = x (section 5.3.2): the multiplication node "
                 "passes dout on multiplied by the *other* input ('swapped').",
                 "z = x * y 이므로 dz/dx = y, dz/dy = x (5.3.2절): 곱셈 노드는 dout에 '서로 바꾼' "
                 "입력을 곱해 흘려보냅니다."),
            Hint("forward: store self.x, self.y; return their product. "
                 "backward: dx = dout times the stored y, dy = dout times the stored x; return dx, dy.",
                 "forward: self.x, self.y 저장 후 곱을 반환. backward: dx = dout × 저장한 y, "
                 "dy = dout × 저장한 x; dx, dy를 반환."),
        )),
    Exercise(
        "5.4.2", "AddLayer: addition node",
        ("layers:AddLayer.forward", "layers:AddLayer.backward"),
        prereqs=("5.4.1",),  # buy_apple_orange.py needs MulLayer too
        title_ko="AddLayer: 덧셈 계층",
        hints=(
            Hint("An addition node has nothing to remember: its local derivative is a constant.",
                 "덧셈 노드는 기억할 것이 없습니다: 국소 미분이 상수이기 때문입니다."),
            Hint("z = x + y, so dz/dx = dz/dy = 1 (section 5.3.1): the upstream gradient passes "
                 "through unchanged to both inputs.",
                 "z = x + y 이므로 dz/dx = dz/dy = 1 (5.3.1절): 상류 기울기가 그대로 양쪽 입력으로 "
                 "흘러갑니다."),
            Hint("forward returns the sum; backward returns the pair (dout * 1, dout * 1).",
                 "forward는 합을 반환하고, backward는 (dout * 1, dout * 1) 쌍을 반환합니다."),
        )),
    Exercise(
        "5.5.1", "Relu layer",
        ("layers:Relu.forward", "layers:Relu.backward"),
        title_ko="Relu 계층",
        hints=(
            Hint("backward must know where forward let values through: remember a boolean mask.",
                 "backward는 forward가 어디서 값을 통과시켰는지 알아야 합니다: 불리언 마스크를 "
                 "기억하세요."),
            Hint("y = x if x > 0 else 0, so dy/dx = 1 if x > 0 else 0 (equation 5.7): the gradient "
                 "flows where x > 0 and stops where x <= 0.",
                 "x > 0 이면 y = x, 아니면 0 이므로 dy/dx 는 1 또는 0 (식 5.7): x > 0 인 곳에서만 "
                 "기울기가 흐릅니다."),
            Hint("forward: self.mask = (x <= 0); out = a copy of x with out[mask] set to 0. "
                 "backward: dx = a copy of dout with dx[mask] set to 0 (copy, so the caller's dout "
                 "is not changed).",
                 "forward: self.mask = (x <= 0); out = x의 복사본에서 out[mask] = 0. backward: "
                 "dx = dout의 복사본에서 dx[mask] = 0 (복사해야 호출자의 dout이 바뀌지 않습니다)."),
        )),
    Exercise(
        "5.5.2", "Sigmoid layer",
        ("layers:Sigmoid.forward", "layers:Sigmoid.backward"),
        title_ko="Sigmoid 계층",
        hints=(
            Hint("The sigmoid's derivative can be written with its output alone: keep the output.",
                 "시그모이드의 미분은 출력만으로 표현됩니다: 출력을 저장해 두세요."),
            Hint("y = 1 / (1 + exp(-x)) and dy/dx = y (1 - y) (equation 5.12), so "
                 "dx = dout * y * (1 - y).",
                 "y = 1 / (1 + exp(-x)), dy/dx = y (1 - y) (식 5.12) 이므로 dx = dout * y * (1 - y)."),
            Hint("forward: out = sigmoid(x) from functions.py (overflow-safe); self.out = out; "
                 "return out. backward: one line with dout, self.out and (1.0 - self.out).",
                 "forward: functions.py의 sigmoid(x) 사용 (오버플로 안전); self.out = out; out 반환. "
                 "backward: dout, self.out, (1.0 - self.out) 로 한 줄."),
        )),
    Exercise(
        "5.6.2", "Affine layer (batch)",
        ("layers:Affine.forward", "layers:Affine.backward"),
        title_ko="Affine 계층 (배치)",
        hints=(
            Hint("Check shapes first: the gradient of each array has that array's shape. "
                 "dW must be (D, M) like W, db must be (M,) like b, dx like x.",
                 "먼저 형상을 확인하세요: 각 배열의 기울기는 그 배열과 형상이 같습니다. dW는 W처럼 "
                 "(D, M), db는 b처럼 (M,), dx는 x와 같은 형상."),
            Hint("Y = X W + B gives dL/dX = dL/dY W^T and dL/dW = X^T dL/dY (equation 5.13); "
                 "B was added to every row, so dL/dB sums dL/dY over the batch axis (section 5.6.2).",
                 "Y = X W + B 에서 dL/dX = dL/dY W^T, dL/dW = X^T dL/dY (식 5.13); B는 모든 행에 "
                 "더해졌으므로 dL/dB 는 dL/dY를 배치 축으로 합합니다 (5.6.2절)."),
            Hint("forward: remember x's original shape, reshape x to (N, -1), store it, return "
                 "np.dot(x, W) + b. backward: dx = np.dot(dout, W.T); self.dW = np.dot(x.T, dout); "
                 "self.db = np.sum(dout, axis=0); reshape dx back to the original shape.",
                 "forward: x의 원래 형상을 기억하고 (N, -1)로 reshape해 저장, np.dot(x, W) + b 반환. "
                 "backward: dx = np.dot(dout, W.T); self.dW = np.dot(x.T, dout); "
                 "self.db = np.sum(dout, axis=0); dx를 원래 형상으로 되돌리기."),
        )),
    Exercise(
        "4.2", "softmax and cross_entropy_error (sections 3.5.2, 4.2.4)",
        ("functions:softmax", "functions:cross_entropy_error"),
        title_ko="softmax와 cross_entropy_error (3.5.2절, 4.2.4절)",
        hints=(
            Hint("exp(1000) overflows. Softmax does not change if you subtract the same number from "
                 "every score of a row.",
                 "exp(1000)은 오버플로됩니다. 한 행의 모든 점수에서 같은 수를 빼도 소프트맥스는 "
                 "변하지 않습니다."),
            Hint("softmax: y_k = exp(a_k - C) / sum_i exp(a_i - C) with C = max(a) (equation 3.11). "
                 "cross entropy: E = -(1/N) sum_n log(y[n, t_n] + 1e-7) (equation 4.3).",
                 "softmax: y_k = exp(a_k - C) / sum_i exp(a_i - C), C = max(a) (식 3.11). "
                 "교차 엔트로피: E = -(1/N) sum_n log(y[n, t_n] + 1e-7) (식 4.3)."),
            Hint("softmax: subtract np.max(x, axis=-1, keepdims=True), exp, divide by the sum over "
                 "axis=-1 with keepdims. cross_entropy_error: make y 2-D, turn one-hot t into labels "
                 "with argmax(axis=1), pick y[np.arange(N), t], add CROSS_ENTROPY_DELTA, log, sum, / N.",
                 "softmax: np.max(x, axis=-1, keepdims=True)를 빼고 exp, axis=-1 합(keepdims)으로 "
                 "나누기. cross_entropy_error: y를 2차원으로, 원-핫 t는 argmax(axis=1)로 레이블로, "
                 "y[np.arange(N), t]에 CROSS_ENTROPY_DELTA를 더해 log, 합, / N."),
        )),
    Exercise(
        "5.6.3", "SoftmaxWithLoss layer",
        ("layers:SoftmaxWithLoss.forward", "layers:SoftmaxWithLoss.backward"),
        prereqs=("4.2",),
        title_ko="SoftmaxWithLoss 계층",
        hints=(
            Hint("forward reuses softmax and cross_entropy_error; backward is surprisingly simple "
                 "and needs what forward stored (y and t).",
                 "forward는 softmax와 cross_entropy_error를 재사용합니다; backward는 놀랄 만큼 "
                 "간단하며 forward가 저장한 y와 t가 필요합니다."),
            Hint("dL/dx = (y - t) / N for a batch of N (section 5.6.3, Figure 5-30): the loss is a "
                 "mean over the batch, so every row's gradient is divided by N.",
                 "N개 배치에서 dL/dx = (y - t) / N (5.6.3절, 그림 5-30): 손실이 배치 평균이므로 "
                 "각 행의 기울기를 N으로 나눕니다."),
            Hint("forward: self.t = t; self.y = softmax(x); self.loss = cross_entropy_error(...); "
                 "return it. backward: batch_size = t.shape[0]; one-hot t: (y - t) / batch_size; "
                 "label t: copy y, subtract 1 at [np.arange(batch_size), t], divide; times dout.",
                 "forward: self.t = t; self.y = softmax(x); self.loss = cross_entropy_error(...) "
                 "반환. backward: batch_size = t.shape[0]; 원-핫이면 (y - t) / batch_size; 레이블이면 "
                 "y를 복사해 [np.arange(batch_size), t]에서 1을 빼고 나누기; 마지막에 dout 곱하기."),
        )),
    Exercise(
        "4.4", "numerical_gradient (centred difference)",
        ("gradient:numerical_gradient",),
        title_ko="numerical_gradient (중심 차분)",
        hints=(
            Hint("Change one element at a time, evaluate f twice, and put the element back exactly: "
                 "f may read x through a closure, so x must end unchanged.",
                 "원소를 하나씩 바꿔 f를 두 번 계산하고 원래 값을 정확히 되돌리세요: f는 클로저로 x를 "
                 "읽을 수 있으므로 x는 끝에 그대로여야 합니다."),
            Hint("Centred difference: df/dx_i ~= (f(x + h e_i) - f(x - h e_i)) / (2h), h = 1e-4 "
                 "(equation 4.4 and section 4.3.1).",
                 "중심 차분: df/dx_i ~= (f(x + h e_i) - f(x - h e_i)) / (2h), h = 1e-4 "
                 "(식 4.4, 4.3.1절)."),
            Hint("grad = np.zeros_like(x); iterate with np.nditer(x, flags=['multi_index'], "
                 "op_flags=[['readwrite']]); for each idx: save x[idx], set +h, f, set -h, f, "
                 "grad[idx] = difference / (2*h), restore x[idx].",
                 "grad = np.zeros_like(x); np.nditer(x, flags=['multi_index'], "
                 "op_flags=[['readwrite']])로 순회; 각 idx에서 x[idx] 저장, +h로 f, -h로 f, "
                 "grad[idx] = 차 / (2*h), x[idx] 복원."),
        )),
    Exercise(
        "5.7.2", "TwoLayerNet: predict, loss, accuracy, gradient by backprop",
        ("two_layer_net:TwoLayerNet.predict", "two_layer_net:TwoLayerNet.loss",
         "two_layer_net:TwoLayerNet.accuracy", "two_layer_net:TwoLayerNet.gradient"),
        prereqs=("5.5.1", "5.6.2", "5.6.3"),
        title_ko="TwoLayerNet: predict, loss, accuracy, 역전파 gradient",
        hints=(
            Hint("The layers do all the maths: predict runs them in order, gradient runs their "
                 "backward in reverse order, then reads dW and db from the Affine layers.",
                 "계산은 계층이 모두 합니다: predict는 계층을 순서대로, gradient는 backward를 역순으로 "
                 "실행한 뒤 Affine 계층의 dW, db를 읽습니다."),
            Hint("Backpropagation is the chain rule (section 5.2): dL/dx of each layer is the dout "
                 "of the layer below, starting from dL/dL = 1 at SoftmaxWithLoss (section 5.7.2).",
                 "오차역전파는 연쇄법칙입니다 (5.2절): 각 계층의 dL/dx가 아래 계층의 dout이 되고, "
                 "SoftmaxWithLoss에서 dL/dL = 1로 시작합니다 (5.7.2절)."),
            Hint("predict: for layer in self.layers.values(): x = layer.forward(x). loss: "
                 "self.lastLayer.forward(self.predict(x), t). accuracy: argmax of scores vs labels, "
                 "/ N. gradient: self.loss(x, t); dout = self.lastLayer.backward(1); loop over "
                 "reversed layers; grads['W1'] = self.layers['Affine1'].dW and so on.",
                 "predict: for layer in self.layers.values(): x = layer.forward(x). loss: "
                 "self.lastLayer.forward(self.predict(x), t). accuracy: 점수의 argmax와 레이블 비교, "
                 "/ N. gradient: self.loss(x, t); dout = self.lastLayer.backward(1); 계층을 역순으로; "
                 "grads['W1'] = self.layers['Affine1'].dW 등."),
        )),
    Exercise(
        "5.7.3", "Gradient check: TwoLayerNet.numerical_gradient vs backprop",
        ("two_layer_net:TwoLayerNet.numerical_gradient",),
        prereqs=("4.4", "5.7.2"),
        title_ko="기울기 확인: TwoLayerNet.numerical_gradient 대 역전파",
        hints=(
            Hint("numerical_gradient(f, x) perturbs x in place; the params are shared with the "
                 "layers, so a function that ignores its argument and calls self.loss sees the change.",
                 "numerical_gradient(f, x)는 x를 제자리에서 바꿉니다; params는 계층과 공유되므로 "
                 "인수를 무시하고 self.loss를 부르는 함수도 그 변화를 봅니다."),
            Hint("For each parameter P: dL/dP ~= centred difference of the loss (section 4.5, "
                 "section 5.7.3); the result must match backprop to ~1e-7 or better.",
                 "각 매개변수 P에 대해 dL/dP ~= 손실의 중심 차분 (4.5절, 5.7.3절); 결과는 역전파와 "
                 "~1e-7 이하로 일치해야 합니다."),
            Hint("loss_W = lambda W: self.loss(x, t); grads = {}; for key in PARAM_NAMES: "
                 "grads[key] = numerical_gradient(loss_W, self.params[key]); return grads.",
                 "loss_W = lambda W: self.loss(x, t); grads = {}; for key in PARAM_NAMES: "
                 "grads[key] = numerical_gradient(loss_W, self.params[key]); grads 반환."),
        )),
    Exercise(
        "5.7.4", "Training: one SGD step",
        ("train_neuralnet:train_step",),
        prereqs=("5.7.2",),
        title_ko="학습: SGD 한 단계",
        hints=(
            Hint("The Affine layers hold the very same arrays as network.params: update them in "
                 "place, or the layers keep training the old weights.",
                 "Affine 계층은 network.params와 같은 배열을 가집니다: 제자리에서 갱신하지 않으면 "
                 "계층은 옛 가중치로 계속 학습합니다."),
            Hint("SGD: W <- W - lr * dL/dW for every parameter (equation 6.1, section 5.7.4).",
                 "SGD: 모든 매개변수에 대해 W <- W - lr * dL/dW (식 6.1, 5.7.4절)."),
            Hint("grad = network.gradient(x_batch, t_batch); for key in ('W1', 'b1', 'W2', 'b2'): "
                 "network.params[key] -= learning_rate * grad[key]; return network.lastLayer.loss.",
                 "grad = network.gradient(x_batch, t_batch); for key in ('W1', 'b1', 'W2', 'b2'): "
                 "network.params[key] -= learning_rate * grad[key]; network.lastLayer.loss 반환."),
        )),
)

EXERCISE_IDS = tuple(ex.id for ex in EXERCISES)
BY_ID = {ex.id: ex for ex in EXERCISES}


def dependents(ex_id):
    """Ids of the exercises that need `ex_id`, directly or through others (book order)."""
    out = []
    for ex in EXERCISES:
        if any(p == ex_id or p in out for p in ex.prereqs):
            out.append(ex.id)
    return tuple(out)


def manifest_problems():
    """Structural errors of the manifest itself (empty list when it is consistent)."""
    problems = []
    seen = set()
    for ex in EXERCISES:
        if ex.id in seen:
            problems.append(f"{ex.id}: duplicate id")
        for p in ex.prereqs:
            if p not in seen:  # earlier in the list => acyclic by construction
                problems.append(f"{ex.id}: prerequisite {p} is not an earlier exercise")
        if not ex.targets:
            problems.append(f"{ex.id}: no targets")
        for t in ex.targets:
            if t.count(":") != 1:
                problems.append(f"{ex.id}: target {t!r} is not 'module:Qualified.name'")
        if len(ex.hints) != 3:
            problems.append(f"{ex.id}: needs 3 hint levels (nudge, equation, code shape), has {len(ex.hints)}")
        if not ex.title_ko:
            problems.append(f"{ex.id}: no Korean title")
        seen.add(ex.id)
    return problems

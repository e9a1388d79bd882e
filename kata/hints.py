"""The kata's hints, three levels per exercise: a nudge, then the book's equation, then the
shape of the code (never the code itself); each in English and Korean.

Level 3 teaches the form the book prints (and the reference shows); where the reference
does more than the book, the hint says so as an option, never as the only way.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Hint:
    en: str
    ko: str


HINTS = {
    "5.4.1": (
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
        ),
    "5.4.2": (
            Hint("An addition node has nothing to remember: its local derivative is a constant.",
                 "덧셈 노드는 기억할 것이 없습니다: 국소 미분이 상수이기 때문입니다."),
            Hint("z = x + y, so dz/dx = dz/dy = 1 (section 5.3.1): the upstream gradient passes "
                 "through unchanged to both inputs.",
                 "z = x + y 이므로 dz/dx = dz/dy = 1 (5.3.1절): 상류 기울기가 그대로 양쪽 입력으로 "
                 "흘러갑니다."),
            Hint("forward returns the sum; backward returns the pair (dout * 1, dout * 1).",
                 "forward는 합을 반환하고, backward는 (dout * 1, dout * 1) 쌍을 반환합니다."),
        ),
    "5.5.1": (
            Hint("backward must know where forward let values through: remember a boolean mask.",
                 "backward는 forward가 어디서 값을 통과시켰는지 알아야 합니다: 불리언 마스크를 "
                 "기억하세요."),
            Hint("y = x if x > 0 else 0, so dy/dx = 1 if x > 0 else 0 (equation 5.7): the gradient "
                 "flows where x > 0 and stops where x <= 0.",
                 "x > 0 이면 y = x, 아니면 0 이므로 dy/dx 는 1 또는 0 (식 5.7): x > 0 인 곳에서만 "
                 "기울기가 흐릅니다."),
            Hint("forward: self.mask = (x <= 0); out = a copy of x with out[self.mask] set to 0. "
                 "backward: zero dout where the mask is set and return it, as the book does "
                 "(dout[self.mask] = 0), or do it on a copy, dx = dout.copy(), which keeps the caller's dout.",
                 "forward: self.mask = (x <= 0); out = x의 복사본에서 out[self.mask] = 0. backward: 책처럼 "
                 "마스크 위치의 dout을 0으로 만들어 반환 (dout[self.mask] = 0), 또는 복사본 dx = dout.copy()에서 "
                 "하면 호출한 쪽의 dout이 그대로 남습니다."),
        ),
    "5.5.2": (
            Hint("The sigmoid's derivative can be written with its output alone: keep the output.",
                 "시그모이드의 미분은 출력만으로 표현됩니다: 출력을 저장해 두세요."),
            Hint("y = 1 / (1 + exp(-x)) and dy/dx = y (1 - y) (equation 5.12), so "
                 "dx = dout * y * (1 - y).",
                 "y = 1 / (1 + exp(-x)), dy/dx = y (1 - y) (식 5.12) 이므로 dx = dout * y * (1 - y)."),
            Hint("forward: out = 1 / (1 + np.exp(-x)) as the book writes it (functions.sigmoid gives the "
                 "same values without overflow at x < -709); self.out = out; return out. "
                 "backward: one line with dout, self.out and (1.0 - self.out).",
                 "forward: 책처럼 out = 1 / (1 + np.exp(-x)) (functions.sigmoid는 x < -709에서도 오버플로 없이 "
                 "같은 값); self.out = out; out 반환. backward: dout, self.out, (1.0 - self.out) 로 한 줄."),
        ),
    "5.6.2": (
            Hint("Check shapes first: the gradient of each array has that array's shape. "
                 "dW must be (D, M) like W, db must be (M,) like b, dx like x.",
                 "먼저 형상을 확인하세요: 각 배열의 기울기는 그 배열과 형상이 같습니다. dW는 W처럼 "
                 "(D, M), db는 b처럼 (M,), dx는 x와 같은 형상."),
            Hint("Y = X W + B gives dL/dX = dL/dY W^T and dL/dW = X^T dL/dY (equation 5.13); "
                 "B was added to every row, so dL/dB sums dL/dY over the batch axis (section 5.6.2).",
                 "Y = X W + B 에서 dL/dX = dL/dY W^T, dL/dW = X^T dL/dY (식 5.13); B는 모든 행에 "
                 "더해졌으므로 dL/dB 는 dL/dY를 배치 축으로 합합니다 (5.6.2절)."),
            Hint("forward: self.x = x; return np.dot(x, self.W) + self.b. backward: dx = np.dot(dout, self.W.T); "
                 "self.dW = np.dot(self.x.T, dout); self.db = np.sum(dout, axis=0); return dx. "
                 "(For image batches (N, C, H, W) the reference also reshapes x to (N, -1) and dx back.)",
                 "forward: self.x = x; np.dot(x, self.W) + self.b 반환. backward: dx = np.dot(dout, self.W.T); "
                 "self.dW = np.dot(self.x.T, dout); self.db = np.sum(dout, axis=0); dx 반환. "
                 "(이미지 배치 (N, C, H, W)에는 참고 구현처럼 x를 (N, -1)로 reshape하고 dx를 되돌립니다.)"),
        ),
    "4.2": (
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
        ),
    "5.6.3": (
            Hint("forward reuses softmax and cross_entropy_error; backward is surprisingly simple "
                 "and needs what forward stored (y and t).",
                 "forward는 softmax와 cross_entropy_error를 재사용합니다; backward는 놀랄 만큼 "
                 "간단하며 forward가 저장한 y와 t가 필요합니다."),
            Hint("dL/dx = (y - t) / N for a batch of N (section 5.6.3, Figure 5-30): the loss is a "
                 "mean over the batch, so every row's gradient is divided by N.",
                 "N개 배치에서 dL/dx = (y - t) / N (5.6.3절, 그림 5-30): 손실이 배치 평균이므로 "
                 "각 행의 기울기를 N으로 나눕니다."),
            Hint("forward: self.t = t; self.y = softmax(x); self.loss = cross_entropy_error(self.y, self.t); "
                 "return self.loss. backward: batch_size = self.t.shape[0]; dx = (self.y - self.t) / batch_size "
                 "for one-hot t, as the book. (The reference also takes label t and multiplies by dout.)",
                 "forward: self.t = t; self.y = softmax(x); self.loss = cross_entropy_error(self.y, self.t); "
                 "self.loss 반환. backward: batch_size = self.t.shape[0]; 원-핫 t이면 책처럼 "
                 "dx = (self.y - self.t) / batch_size. (참고 구현은 레이블 t도 받고 dout도 곱합니다.)"),
        ),
    "4.4": (
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
        ),
    "5.7.2": (
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
        ),
    "5.7.3": (
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
        ),
    "5.7.4": (
            Hint("The Affine layers hold the very same arrays as network.params: update them in "
                 "place, or the layers keep training the old weights.",
                 "Affine 계층은 network.params와 같은 배열을 가집니다: 제자리에서 갱신하지 않으면 "
                 "계층은 옛 가중치로 계속 학습합니다."),
            Hint("SGD: W <- W - lr * dL/dW for every parameter (equation 6.1, section 5.7.4).",
                 "SGD: 모든 매개변수에 대해 W <- W - lr * dL/dW (식 6.1, 5.7.4절)."),
            Hint("grad = network.gradient(x_batch, t_batch); for key in ('W1', 'b1', 'W2', 'b2'): "
                 "network.params[key] -= learning_rate * grad[key]; then return the loss: "
                 "network.loss(x_batch, t_batch) after the update, as the book's loop, or "
                 "network.lastLayer.loss (the forward pass inside gradient(), before it).",
                 "grad = network.gradient(x_batch, t_batch); for key in ('W1', 'b1', 'W2', 'b2'): "
                 "network.params[key] -= learning_rate * grad[key]; 그리고 손실 반환: 책의 반복문처럼 "
                 "갱신 후 network.loss(x_batch, t_batch), 또는 gradient() 안의 순전파가 남긴 "
                 "network.lastLayer.loss (갱신 전)."),
        ),
}

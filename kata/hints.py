"""The kata's hints, three levels per exercise: a nudge, then the book's equation, then the
shape of the code (never the code itself); each in English, Korean and Japanese.

Level 3 teaches the form the book prints (and the reference shows); where the reference
does more than the book, the hint says so as an option, never as the only way.

Korean uses the terms of the Korean edition (오차역전파법, 순전파/역전파, 기울기, 배치, 계층,
계산 그래프, 연쇄법칙, 형상), Japanese those of the Japanese edition (誤差逆伝播法, 順伝播/逆伝播,
勾配, バッチ, レイヤ, 計算グラフ, 連鎖律, 形状); section and equation numbers are the same in the
three editions. Code, formulas and identifiers are in backticks and identical in the three
languages (kata/tests/test_i18n_hints.py checks it).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Hint:
    en: str
    ko: str
    ja: str


HINTS = {
    "5.4.1": (
        Hint("backward needs the inputs of forward: forward must remember `x` and `y` on `self`.",
             "backward에는 forward의 입력이 필요합니다. forward에서 `x`와 `y`를 `self`에 저장해 두세요.",
             "backwardには、forwardの入力が必要です。forwardで`x`と`y`を`self`に保持しておきましょう。"),
        Hint("`z = x * y`, so `dz/dx = y` and `dz/dy = x` (section 5.3.2): the multiplication node "
             "passes `dout` on multiplied by the *other* input ('swapped').",
             "`z = x * y`이므로 `dz/dx = y`, `dz/dy = x`입니다 (5.3.2절). 곱셈 노드의 역전파는 상류에서 "
             "전해진 `dout`에 순전파 때의 입력 신호들을 '서로 바꾼 값'을 곱해서 하류로 보냅니다.",
             "`z = x * y`なので`dz/dx = y`、`dz/dy = x`です（5.3.2節）。乗算ノードの逆伝播では、上流から"
             "伝わった`dout`に、順伝播のときの入力信号を「ひっくり返した値」を乗算して下流へ流します。"),
        Hint("forward: store `self.x`, `self.y`; return their product. "
             "backward: `dx` = `dout` times the stored `y`, `dy` = `dout` times the stored `x`; return `dx, dy`.",
             "forward: 입력을 `self.x`, `self.y`에 저장하고 둘의 곱을 반환합니다. backward: `dx`는 `dout` × 저장해 "
             "둔 `y`, `dy`는 `dout` × 저장해 둔 `x`로 구해 `dx, dy`를 반환합니다.",
             "forwardでは`self.x`と`self.y`に保持して、その積を返します。backwardでは`dx`を`dout`×保持した"
             "`y`、`dy`を`dout`×保持した`x`として、`dx, dy`を返します。"),
    ),
    "5.4.2": (
        Hint("An addition node has nothing to remember: its local derivative is a constant.",
             "덧셈 노드는 기억해 둘 것이 없습니다. 국소적 미분이 상수이기 때문입니다.",
             "加算ノードには覚えておくものがありません。局所的な微分が定数だからです。"),
        Hint("`z = x + y`, so `dz/dx = dz/dy = 1` (section 5.3.1): the upstream gradient passes "
             "through unchanged to both inputs.",
             "`z = x + y`이므로 `dz/dx = dz/dy = 1`입니다 (5.3.1절). 상류에서 전해진 기울기가 그대로 "
             "양쪽 입력으로 흘러갑니다.",
             "`z = x + y`なので`dz/dx = dz/dy = 1`です（5.3.1節）。上流から伝わった勾配は、そのまま両方の"
             "入力へ流れます。"),
        Hint("forward returns the sum; backward returns the pair `(dout * 1, dout * 1)`.",
             "forward는 합을 반환하고, backward는 `(dout * 1, dout * 1)` 쌍을 반환합니다.",
             "forwardは和を返し、backwardは`(dout * 1, dout * 1)`の2つを返します。"),
    ),
    "5.5.1": (
        Hint("backward must know where forward let values through: remember a boolean mask.",
             "backward는 forward가 어디에서 값을 통과시켰는지 알아야 합니다. True/False로 이루어진 마스크를 "
             "저장해 두세요.",
             "backwardは、forwardがどこで値を通したかを知る必要があります。True/Falseからなるマスクを"
             "保持しておきましょう。"),
        Hint("`y = x if x > 0 else 0`, so `dy/dx = 1 if x > 0 else 0` (equations 5.7 and 5.8): the "
             "gradient flows where `x > 0` and stops where `x <= 0`.",
             "`y = x if x > 0 else 0`이므로 `dy/dx = 1 if x > 0 else 0`입니다 (식 5.7, 식 5.8). 순전파 때의 "
             "입력이 `x > 0`이면 상류의 값을 그대로 하류로 흘리고, `x <= 0`이면 하류로 신호를 보내지 "
             "않습니다 (0을 보냅니다).",
             "`y = x if x > 0 else 0`なので`dy/dx = 1 if x > 0 else 0`です（式(5.7)、式(5.8)）。順伝播のときの"
             "入力が`x > 0`なら上流の値をそのまま下流へ流し、`x <= 0`なら下流へは信号を流しません"
             "（0を流します）。"),
        Hint("forward: `self.mask = (x <= 0)`; `out` = a copy of `x`, then `out[self.mask] = 0`. "
             "backward: zero `dout` where the mask is set and return it, as the book does "
             "(`dout[self.mask] = 0`), or do it on a copy, `dx = dout.copy()`, which keeps the caller's `dout`.",
             "forward: `self.mask = (x <= 0)`; `x`를 복사한 `out`에서 `out[self.mask] = 0`. backward: 책처럼 "
             "마스크가 True인 곳의 `dout`을 0으로 만들어 반환하거나 (`dout[self.mask] = 0`), 복사본 "
             "`dx = dout.copy()`에서 같은 일을 합니다. 복사본을 쓰면 호출한 쪽의 `dout`이 그대로 남습니다.",
             "forwardでは`self.mask = (x <= 0)`とし、`x`をコピーした`out`で`out[self.mask] = 0`とします。"
             "backwardでは、書籍と同じようにマスクがTrueの位置の`dout`を0にして返す（`dout[self.mask] = 0`）"
             "か、コピー`dx = dout.copy()`の上で同じことをします。コピーを使えば呼び出し側の`dout`は元のまま"
             "残ります。"),
    ),
    "5.5.2": (
        Hint("The sigmoid's derivative can be written with its output alone: keep the output.",
             "시그모이드 함수의 미분은 순전파의 출력만으로 나타낼 수 있습니다. 출력을 저장해 두세요.",
             "シグモイド関数の微分は、順伝播の出力だけで表せます。出力を保持しておきましょう。"),
        Hint("`y = 1 / (1 + exp(-x))` and `dy/dx = y (1 - y)` (equation 5.12), so "
             "`dx = dout * y * (1 - y)`.",
             "`y = 1 / (1 + exp(-x))`일 때 `dy/dx = y (1 - y)`이므로 (식 5.12) `dx = dout * y * (1 - y)`입니다.",
             "`y = 1 / (1 + exp(-x))`で`dy/dx = y (1 - y)`なので（式(5.12)）、`dx = dout * y * (1 - y)`です。"),
        Hint("forward: `out = 1 / (1 + np.exp(-x))` as the book writes it (`functions.sigmoid` gives the "
             "same values without overflow at `x < -709`); `self.out = out`; return `out`. "
             "backward: one line with `dout`, `self.out` and `(1.0 - self.out)`.",
             "forward: 책처럼 `out = 1 / (1 + np.exp(-x))` (`functions.sigmoid`는 `x < -709`에서도 오버플로 "
             "없이 같은 값을 줍니다); `self.out = out`; `out`을 반환. backward: `dout`, `self.out`, "
             "`(1.0 - self.out)`으로 한 줄이면 됩니다.",
             "forwardでは書籍のとおり`out = 1 / (1 + np.exp(-x))`とし（`functions.sigmoid`なら`x < -709`でも"
             "オーバーフローせずに同じ値になります）、`self.out = out`として`out`を返します。backwardは"
             "`dout`、`self.out`、`(1.0 - self.out)`を使えば1行です。"),
    ),
    "5.6.2": (
        Hint("Check shapes first: the gradient of each array has that array's shape. "
             "`dW` must be `(D, M)` like `W`, `db` must be `(M,)` like `b`, `dx` like `x`.",
             "먼저 형상을 확인하세요. 각 배열의 기울기는 그 배열과 형상이 같습니다. `dW`는 `W`처럼 "
             "`(D, M)`, `db`는 `b`처럼 `(M,)`, `dx`는 `x`와 같은 형상입니다.",
             "まず形状を確かめましょう。各配列の勾配は、その配列と同じ形状です。`dW`は`W`と同じ`(D, M)`、"
             "`db`は`b`と同じ`(M,)`、`dx`は`x`と同じ形状です。"),
        Hint("`Y = X W + B` gives `dL/dX = dL/dY W^T` and `dL/dW = X^T dL/dY` (equation 5.13); "
             "`B` was added to every row, so `dL/dB` sums `dL/dY` over the batch axis (section 5.6.2).",
             "`Y = X W + B`에서 `dL/dX = dL/dY W^T`, `dL/dW = X^T dL/dY`입니다 (식 5.13). `B`는 모든 행에 "
             "더해졌으므로 `dL/dB`는 `dL/dY`를 데이터마다 더한 값(0번째 축의 총합)입니다 (5.6.2절).",
             "`Y = X W + B`から`dL/dX = dL/dY W^T`、`dL/dW = X^T dL/dY`が得られます（式(5.13)）。`B`は"
             "すべての行に加算されたので、`dL/dB`は`dL/dY`をデータごとに加算したもの（0番目の軸の総和）"
             "です（5.6.2節）。"),
        Hint("forward: `self.x = x`; return `np.dot(x, self.W) + self.b`. backward: `dx = np.dot(dout, self.W.T)`; "
             "`self.dW = np.dot(self.x.T, dout)`; `self.db = np.sum(dout, axis=0)`; return `dx`. "
             "(For image batches `(N, C, H, W)` the reference also reshapes `x` to `(N, -1)` and `dx` back.)",
             "forward: `self.x = x`로 저장하고 `np.dot(x, self.W) + self.b`를 반환. backward: "
             "`dx = np.dot(dout, self.W.T)`; `self.dW = np.dot(self.x.T, dout)`; "
             "`self.db = np.sum(dout, axis=0)`; `dx`를 반환. (이미지 배치 `(N, C, H, W)`의 경우 참고 구현은 "
             "`x`를 `(N, -1)`로 reshape하고 `dx`를 원래 형상으로 되돌립니다.)",
             "forwardでは`self.x = x`として`np.dot(x, self.W) + self.b`を返します。backwardでは"
             "`dx = np.dot(dout, self.W.T)`、`self.dW = np.dot(self.x.T, dout)`、"
             "`self.db = np.sum(dout, axis=0)`とし、`dx`を返します。（画像のバッチ`(N, C, H, W)`に対しては、"
             "参考実装は`x`を`(N, -1)`にreshapeし、`dx`を元の形状に戻します。）"),
    ),
    "4.2": (
        Hint("`exp(1000)` overflows. Softmax does not change if you subtract the same number from "
             "every score of a row.",
             "`exp(1000)`은 오버플로를 일으킵니다. 소프트맥스 함수는 한 행의 모든 입력에서 같은 수를 빼도 "
             "결과가 바뀌지 않습니다.",
             "`exp(1000)`はオーバーフローします。ソフトマックス関数は、ある行のすべての入力から同じ数を"
             "引いても結果が変わりません。"),
        Hint("softmax: `y_k = exp(a_k - C) / sum_i exp(a_i - C)` with `C = max(a)` (equation 3.11). "
             "cross entropy: `E = -(1/N) sum_n log(y[n, t_n] + 1e-7)` (equation 4.3).",
             "소프트맥스 함수: `C = max(a)`로 두고 `y_k = exp(a_k - C) / sum_i exp(a_i - C)` (식 3.11). "
             "교차 엔트로피 오차: `E = -(1/N) sum_n log(y[n, t_n] + 1e-7)` (식 4.3).",
             "ソフトマックス関数：`C = max(a)`として`y_k = exp(a_k - C) / sum_i exp(a_i - C)`（式(3.11)）。"
             "交差エントロピー誤差：`E = -(1/N) sum_n log(y[n, t_n] + 1e-7)`（式(4.3)）。"),
        Hint("softmax: subtract `np.max(x, axis=-1, keepdims=True)`, `exp`, divide by the sum over "
             "`axis=-1` with `keepdims`. cross_entropy_error: make `y` 2-D, turn one-hot `t` into labels "
             "with `argmax(axis=1)`, pick `y[np.arange(N), t]`, add `CROSS_ENTROPY_DELTA`, `log`, sum, `/ N`.",
             "softmax: `np.max(x, axis=-1, keepdims=True)`를 빼고 `exp`한 뒤 `axis=-1` 방향의 합"
             "(`keepdims`)으로 나눕니다. cross_entropy_error: `y`를 2차원으로 만들고, 원-핫 인코딩된 `t`는 "
             "`argmax(axis=1)`로 정답 레이블로 바꾼 뒤, `y[np.arange(N), t]`를 골라 `CROSS_ENTROPY_DELTA`를 "
             "더하고 `log`, 합, `/ N`.",
             "softmaxでは`np.max(x, axis=-1, keepdims=True)`を引いてから`exp`し、`axis=-1`方向の和"
             "（`keepdims`）で割ります。cross_entropy_errorでは`y`を2次元にし、one-hot表現の`t`は"
             "`argmax(axis=1)`で正解ラベルに直してから`y[np.arange(N), t]`を取り出し、`CROSS_ENTROPY_DELTA`"
             "を足して`log`、合計、`/ N`とします。"),
    ),
    "5.6.3": (
        Hint("forward reuses `softmax` and `cross_entropy_error`; backward is surprisingly simple "
             "and needs what forward stored (`y` and `t`).",
             "forward는 `softmax`와 `cross_entropy_error`를 재사용합니다. backward는 놀랄 만큼 간단하며, "
             "forward가 저장해 둔 `y`와 `t`만 있으면 됩니다.",
             "forwardは`softmax`と`cross_entropy_error`を再利用します。backwardは驚くほど単純で、forwardで"
             "保持した`y`と`t`があれば十分です。"),
        Hint("`dL/dx = (y - t) / N` for a batch of N (section 5.6.3, Figure 5-30): the loss is a "
             "mean over the batch, so every row's gradient is divided by N.",
             "배치 크기가 N이면 `dL/dx = (y - t) / N`입니다 (5.6.3절, 그림 5-30). 손실이 배치의 "
             "평균이므로 각 행의 기울기를 N으로 나눕니다.",
             "バッチサイズがNなら`dL/dx = (y - t) / N`です（5.6.3節、図5-30）。損失はバッチ全体の平均"
             "なので、各行の勾配をNで割ります。"),
        Hint("forward: `self.t = t`; `self.y = softmax(x)`; `self.loss = cross_entropy_error(self.y, self.t)`; "
             "return `self.loss`. backward: `batch_size = self.t.shape[0]`; `dx = (self.y - self.t) / batch_size` "
             "for one-hot `t`, as the book. (The reference also takes label `t` and multiplies by `dout`.)",
             "forward: `self.t = t`; `self.y = softmax(x)`; `self.loss = cross_entropy_error(self.y, self.t)`; "
             "`self.loss`를 반환. backward: `batch_size = self.t.shape[0]`; 원-핫 인코딩된 `t`라면 책처럼 "
             "`dx = (self.y - self.t) / batch_size`. (참고 구현은 정답 레이블 `t`도 받고, `dout`도 곱합니다.)",
             "forwardでは`self.t = t`、`self.y = softmax(x)`、"
             "`self.loss = cross_entropy_error(self.y, self.t)`とし、`self.loss`を返します。backwardでは"
             "`batch_size = self.t.shape[0]`とし、one-hot表現の`t`なら書籍のとおり"
             "`dx = (self.y - self.t) / batch_size`です。（参考実装は正解ラベルの`t`も受け付け、`dout`も"
             "掛けます。）"),
    ),
    "4.4": (
        Hint("Change one element at a time, evaluate `f` twice, and put the element back exactly: "
             "`f` may read `x` through a closure, so `x` must end unchanged.",
             "원소를 하나씩 바꿔 가며 `f`를 두 번 계산하고, 그 원소를 원래 값으로 정확히 되돌리세요. `f`가 "
             "클로저로 `x`를 읽을 수 있으므로 끝난 뒤 `x`는 처음 그대로여야 합니다.",
             "要素を1つずつ変えて`f`を2回計算し、その要素を正確に元の値へ戻します。`f`はクロージャ経由で"
             "`x`を読むことがあるので、終わったあとの`x`は元のままでなければなりません。"),
        Hint("Centred difference: `df/dx_i ~= (f(x + h e_i) - f(x - h e_i)) / (2h)`, `h = 1e-4` "
             "(equation 4.4 and section 4.3.1).",
             "중심 차분으로 근사합니다: `df/dx_i ~= (f(x + h e_i) - f(x - h e_i)) / (2h)`, `h = 1e-4` "
             "(식 4.4, 4.3.1절).",
             "中心差分で近似します：`df/dx_i ~= (f(x + h e_i) - f(x - h e_i)) / (2h)`、`h = 1e-4`"
             "（式(4.4)、4.3.1節）。"),
        Hint("`grad = np.zeros_like(x)`; iterate with `np.nditer(x, flags=['multi_index'], "
             "op_flags=[['readwrite']])`; for each `idx`: save `x[idx]`, set +h, `f`, set -h, `f`, "
             "`grad[idx]` = the difference `/ (2*h)`, restore `x[idx]`.",
             "`grad = np.zeros_like(x)`; `np.nditer(x, flags=['multi_index'], "
             "op_flags=[['readwrite']])`로 순회; 각 `idx`에서 `x[idx]`를 저장, +h로 바꿔 `f`, -h로 바꿔 `f`, "
             "`grad[idx]` = 두 값의 차 `/ (2*h)`, 마지막에 `x[idx]`를 복원.",
             "`grad = np.zeros_like(x)`とし、`np.nditer(x, flags=['multi_index'], "
             "op_flags=[['readwrite']])`で走査します。各`idx`で`x[idx]`を保存し、+hにして`f`を、-hにして`f`を"
             "計算し、`grad[idx]` = 2つの値の差`/ (2*h)`として、最後に`x[idx]`を元に戻します。"),
    ),
    "5.7.2": (
        Hint("The layers do all the maths: predict runs them in order, gradient runs their "
             "backward in reverse order, then reads `dW` and `db` from the Affine layers.",
             "계산은 모두 계층이 합니다. predict는 계층을 순서대로 실행하고, gradient는 각 계층의 backward를 "
             "역순으로 실행한 뒤 Affine 계층에서 `dW`와 `db`를 읽습니다.",
             "計算はすべてレイヤが行います。predictはレイヤを順に実行し、gradientは各レイヤのbackwardを"
             "逆の順に実行してから、Affineレイヤの`dW`と`db`を読み出します。"),
        Hint("Backpropagation is the chain rule (section 5.2): `dL/dx` of each layer is the `dout` "
             "of the layer before it (nearer the input), starting from `dL/dL = 1` at SoftmaxWithLoss "
             "(section 5.7.2).",
             "오차역전파법은 곧 연쇄법칙입니다 (5.2절). 각 계층의 `dL/dx`가 바로 앞 계층(입력 쪽)의 `dout`이 "
             "되고, 출발점은 SoftmaxWithLoss에서의 `dL/dL = 1`입니다 (5.7.2절).",
             "誤差逆伝播法は連鎖律そのものです（5.2節）。各レイヤの`dL/dx`が1つ手前（入力側）のレイヤの"
             "`dout`になり、出発点はSoftmaxWithLossでの`dL/dL = 1`です（5.7.2節）。"),
        Hint("predict: `for layer in self.layers.values(): x = layer.forward(x)`. loss: "
             "`self.lastLayer.forward(self.predict(x), t)`. accuracy: argmax of scores vs labels, "
             "`/ N`. gradient: `self.loss(x, t)`; `dout = self.lastLayer.backward(1)`; loop over "
             "reversed layers; `grads['W1'] = self.layers['Affine1'].dW` and so on.",
             "predict: `for layer in self.layers.values(): x = layer.forward(x)`. loss: "
             "`self.lastLayer.forward(self.predict(x), t)`. accuracy: 점수의 argmax를 정답 레이블과 비교해 "
             "`/ N`. gradient: `self.loss(x, t)`; `dout = self.lastLayer.backward(1)`; 계층을 역순으로 "
             "순회; `grads['W1'] = self.layers['Affine1'].dW` 등.",
             "predictは`for layer in self.layers.values(): x = layer.forward(x)`。lossは"
             "`self.lastLayer.forward(self.predict(x), t)`。accuracyはスコアのargmaxを正解ラベルと比べて"
             "`/ N`。gradientは`self.loss(x, t)`、`dout = self.lastLayer.backward(1)`のあと、レイヤを逆順に"
             "たどり、`grads['W1'] = self.layers['Affine1'].dW`のように設定します。"),
    ),
    "5.7.3": (
        Hint("`numerical_gradient(f, x)` perturbs `x` in place; the params are shared with the "
             "layers, so a function that ignores its argument and calls `self.loss` sees the change.",
             "`numerical_gradient(f, x)`는 `x`를 그 자리에서 바꿉니다. 매개변수(params)는 계층과 같은 배열을 "
             "공유하므로, 인수를 무시하고 `self.loss`를 부르는 함수도 그 변화를 봅니다.",
             "`numerical_gradient(f, x)`は`x`をその場で書き換えます。パラメータ（params）はレイヤと同じ配列を"
             "共有しているので、引数を無視して`self.loss`を呼ぶ関数にもその変化が見えます。"),
        Hint("For each parameter P: `dL/dP` ~= centred difference of the loss (section 4.5, "
             "section 5.7.3); the result must match backprop to ~1e-7 or better.",
             "각 매개변수 P에 대해 `dL/dP`를 손실 함수의 중심 차분으로 근사합니다 (4.5절, 5.7.3절). 그 "
             "결과가 오차역전파법으로 구한 기울기와 1e-7 정도 이내로 일치해야 합니다.",
             "各パラメータPについて、`dL/dP`を損失関数の中心差分で近似します（4.5節、5.7.3節）。その結果が、"
             "誤差逆伝播法で求めた勾配と1e-7程度以内で一致しなければなりません。"),
        Hint("`loss_W = lambda W: self.loss(x, t)`; `grads = {}`; `for key in PARAM_NAMES: "
             "grads[key] = numerical_gradient(loss_W, self.params[key])`; return `grads`.",
             "`loss_W = lambda W: self.loss(x, t)`; `grads = {}`; `for key in PARAM_NAMES: "
             "grads[key] = numerical_gradient(loss_W, self.params[key])`; `grads`를 반환.",
             "`loss_W = lambda W: self.loss(x, t)`、`grads = {}`、`for key in PARAM_NAMES: "
             "grads[key] = numerical_gradient(loss_W, self.params[key])`とし、`grads`を返します。"),
    ),
    "5.7.4": (
        Hint("The Affine layers hold the very same arrays as `network.params`: update them in "
             "place, or the layers keep training the old weights.",
             "Affine 계층은 `network.params`와 똑같은 배열을 가지고 있습니다. 그 자리에서 갱신하지 않으면 "
             "계층은 갱신되지 않은 옛 가중치로 계속 계산합니다.",
             "Affineレイヤは`network.params`とまったく同じ配列を持っています。その場で更新しないと、"
             "レイヤは古い重みのまま学習を続けてしまいます。"),
        Hint("SGD: `W <- W - lr * dL/dW` for every parameter (equation 6.1, section 5.7.4).",
             "SGD(확률적 경사 하강법): 모든 매개변수에 대해 `W <- W - lr * dL/dW` (식 6.1, 5.7.4절).",
             "SGD（確率的勾配降下法）：すべてのパラメータについて`W <- W - lr * dL/dW`（式(6.1)、5.7.4節）。"),
        Hint("`grad = network.gradient(x_batch, t_batch)`; `for key in ('W1', 'b1', 'W2', 'b2'): "
             "network.params[key] -= learning_rate * grad[key]`; then return the loss: "
             "`network.loss(x_batch, t_batch)` after the update, as the book's loop, or "
             "`network.lastLayer.loss` (the forward pass inside `gradient()`, before it).",
             "`grad = network.gradient(x_batch, t_batch)`; `for key in ('W1', 'b1', 'W2', 'b2'): "
             "network.params[key] -= learning_rate * grad[key]`; 그다음 손실을 반환합니다. 책의 반복문처럼 "
             "갱신한 뒤의 `network.loss(x_batch, t_batch)`를 돌려주거나, `gradient()` 안의 순전파가 남긴 "
             "`network.lastLayer.loss`(갱신 전 값)를 돌려줍니다.",
             "`grad = network.gradient(x_batch, t_batch)`、`for key in ('W1', 'b1', 'W2', 'b2'): "
             "network.params[key] -= learning_rate * grad[key]`のあと、損失を返します。返す損失は、書籍のループと"
             "同じく更新後の`network.loss(x_batch, t_batch)`でも、`gradient()`の中の順伝播が残した"
             "`network.lastLayer.loss`（更新前の値）でも構いません。"),
    ),
}

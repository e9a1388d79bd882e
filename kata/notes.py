"""Notes: what the reference does beyond the book, told after an exercise is done.

A test marked @pytest.mark.note("<key>") checks one such extra. In the kata its failure
never blocks the exercise (the book's code is the chapter's contract); `check --strict`
(KATA_STRICT=1) makes the notes required, for those who want the reference's standard.
Each note says what the learner's code does and why it may matter, in one line, in English, Korean
and Japanese (the terms of each edition; code in backticks, identical in the three languages).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    en: str
    ko: str
    ja: str


NOTES = {
    "relu-keeps-dout": Note(
        "your Relu changes the caller's array (the book's `dout[self.mask] = 0`): harmless in this network, "
        "but another layer reading the same `dout` would see zeros; `dx = dout.copy()` first keeps it intact.",
        "Relu가 호출한 쪽의 배열을 바꿉니다 (책의 `dout[self.mask] = 0`). 이 신경망에서는 문제없지만, 같은 "
        "`dout`을 읽는 다른 계층이 있다면 0으로 바뀐 값을 보게 됩니다. 먼저 `dx = dout.copy()`로 복사하면 원래 "
        "값이 보존됩니다.",
        "Reluが呼び出し側の配列を書き換えています（書籍の`dout[self.mask] = 0`）。このニューラルネットワーク"
        "では問題ありませんが、同じ`dout`を読む別のレイヤがあれば、0に書き換わった値を見ることになります。"
        "先に`dx = dout.copy()`とすれば元の値は保たれます。"),
    "relu-keeps-x": Note(
        "your Relu.forward sets the caller's `x` to 0 in place where `x <= 0` and returns `x` itself: harmless "
        "in this network, but the caller's array is changed; the book's `out = x.copy()` keeps it intact.",
        "Relu.forward가 호출한 쪽의 `x`에서 `x <= 0`인 곳을 제자리에서 0으로 바꾸고 `x` 자체를 반환합니다. "
        "이 신경망에서는 문제없지만 호출한 쪽의 배열이 바뀝니다. 책처럼 `out = x.copy()`로 복사하면 원래 "
        "값이 보존됩니다.",
        "Relu.forwardが呼び出し側の`x`のうち`x <= 0`の要素をその場で0に書き換え、`x`そのものを返しています。"
        "このニューラルネットワークでは問題ありませんが、呼び出し側の配列が変わります。書籍のように"
        "`out = x.copy()`とコピーすれば元の値は保たれます。"),
    "scales-by-dout": Note(
        "your SoftmaxWithLoss.backward ignores dout (the book's `(y - t) / batch_size`): right at the end of the "
        "network, where `dout = 1`; inside a bigger graph the chain rule needs `dx * dout`.",
        "SoftmaxWithLoss.backward가 dout을 쓰지 않습니다 (책의 `(y - t) / batch_size`). `dout = 1`인 신경망의 "
        "맨 끝에서는 맞지만, 더 큰 계산 그래프 안에서는 연쇄법칙에 따라 `dx * dout`이 필요합니다.",
        "SoftmaxWithLoss.backwardがdoutを使っていません（書籍の`(y - t) / batch_size`）。`dout = 1`となる"
        "ネットワークの最後では正しいのですが、より大きな計算グラフの中では、連鎖律により`dx * dout`が"
        "必要です。"),
    "label-targets": Note(
        "your code takes one-hot targets only, as the book's: integer labels `t` of shape `(N,)` "
        "(`load_mnist(one_hot_label=False)`) would need `dx = y.copy(); dx[np.arange(N), t] -= 1`.",
        "책처럼 원-핫 인코딩된 정답만 받습니다. 형상이 `(N,)`인 정수 정답 레이블 `t` "
        "(`load_mnist(one_hot_label=False)`)에는 `dx = y.copy(); dx[np.arange(N), t] -= 1`이 필요합니다.",
        "書籍と同じく、one-hot表現の教師データしか受け付けません。形状`(N,)`の整数の正解ラベル`t`"
        "（`load_mnist(one_hot_label=False)`）には`dx = y.copy(); dx[np.arange(N), t] -= 1`が必要です。"),
    "label-targets-forward": Note(
        "your SoftmaxWithLoss.forward takes one-hot targets only: with integer labels `t` of shape `(N,)` "
        "(`load_mnist(one_hot_label=False)`) it fails or reads them as rows; the book's batch "
        "`cross_entropy_error` reads both, through `y[np.arange(batch_size), t]`.",
        "SoftmaxWithLoss.forward가 원-핫 인코딩된 정답만 받습니다. 형상이 `(N,)`인 정수 정답 레이블 `t` "
        "(`load_mnist(one_hot_label=False)`)로는 실패하거나 레이블을 행으로 잘못 읽습니다. 책의 배치용 "
        "`cross_entropy_error`는 `y[np.arange(batch_size), t]`로 둘 다 읽습니다.",
        "SoftmaxWithLoss.forwardがone-hot表現の教師データしか受け付けません。形状`(N,)`の整数の正解ラベル`t`"
        "（`load_mnist(one_hot_label=False)`）では失敗するか、ラベルを行として読み違えます。書籍のバッチ対応版"
        "`cross_entropy_error`は`y[np.arange(batch_size), t]`で両方を読めます。"),
    "label-targets-ce": Note(
        "your cross_entropy_error takes one-hot targets only (the book's first form, section 4.2.4): integer "
        "labels `t` of shape `(N,)` need the batch form's `y[np.arange(batch_size), t]` (section 4.2.4, "
        "its last form).",
        "cross_entropy_error가 원-핫 인코딩된 정답만 받습니다 (4.2.4절 책의 첫 형태). 형상이 `(N,)`인 정수 정답 "
        "레이블 `t`에는 배치용 형태의 `y[np.arange(batch_size), t]`가 필요합니다 (4.2.4절 마지막 형태).",
        "cross_entropy_errorがone-hot表現の教師データしか受け付けません（4.2.4節の書籍の最初の形）。形状`(N,)`の"
        "整数の正解ラベル`t`には、バッチ対応版の`y[np.arange(batch_size), t]`が必要です（4.2.4節の最後の形）。"),
    "tensor-input": Note(
        "your Affine takes `(N, D)` rows only, as the book's 5.6.2: image batches `(N, 1, 28, 28)` "
        "(`load_mnist(flatten=False)`, Chapter 7) need `x.reshape(N, -1)` in forward and `dx` reshaped back.",
        "Affine이 책의 5.6.2절처럼 `(N, D)` 형상의 행만 받습니다. 이미지 배치 `(N, 1, 28, 28)` "
        "(`load_mnist(flatten=False)`, 7장)에는 forward에서 `x.reshape(N, -1)`, backward에서 `dx`를 원래 "
        "형상으로 되돌리는 처리가 필요합니다.",
        "Affineが書籍の5.6.2節と同じく`(N, D)`の行しか受け付けません。画像のバッチ`(N, 1, 28, 28)`"
        "（`load_mnist(flatten=False)`、7章）には、forwardでの`x.reshape(N, -1)`と、backwardで`dx`を元の"
        "形状に戻す処理が必要です。"),
    "sigmoid-no-overflow": Note(
        "your Sigmoid overflows in `np.exp(-x)` for `x < -709` (a RuntimeWarning, then inf): fine in this "
        "network, which uses ReLU; `functions.sigmoid` gives the same values without overflow.",
        "Sigmoid가 `x < -709`에서 `np.exp(-x)` 오버플로를 일으킵니다 (RuntimeWarning이 나고 inf가 됩니다). "
        "ReLU를 쓰는 이 신경망에서는 괜찮습니다. `functions.sigmoid`는 오버플로 없이 같은 값을 줍니다.",
        "Sigmoidが`x < -709`で`np.exp(-x)`のオーバーフローを起こします（RuntimeWarningが出てinfになります）。"
        "ReLUを使うこのネットワークでは問題ありません。`functions.sigmoid`ならオーバーフローせずに同じ値に"
        "なります。"),
    "clear-errors": Note(
        "bad input (a wrong shape, backward before forward) fails deep inside numpy in your code: the "
        "reference's `check_` lines turn it into an error that names the expected shape.",
        "잘못된 입력 (틀린 형상, forward 전에 backward 호출)이 여러분의 코드에서는 numpy 깊은 곳에서 "
        "실패합니다. 참고 구현의 `check_` 줄은 이를 기대하는 형상을 알려 주는 오류로 바꿉니다.",
        "不正な入力（形状の誤り、forwardより先のbackward）に対して、あなたのコードはNumPyの奥深くで失敗"
        "します。参考実装の`check_`の行は、それを期待する形状を示すエラーに変えます。"),
    "clear-errors-silent": Note(
        "bad input (e.g. labels of shape `(N, 1)`, an empty batch) is taken silently by your code and gives a "
        "wrong number or `nan`: the reference's `check_` lines refuse it with an error that names the expected shape.",
        "잘못된 입력 (예: 형상이 `(N, 1)`인 레이블, 빈 배치)을 여러분의 코드는 아무 말 없이 받아 틀린 값이나 "
        "`nan`을 냅니다. 참고 구현의 `check_` 줄은 기대하는 형상을 알려 주는 오류로 이를 거부합니다.",
        "不正な入力（例：形状`(N, 1)`のラベル、空のバッチ）を、あなたのコードは黙って受け取り、誤った値や"
        "`nan`を返します。参考実装の`check_`の行は、期待する形状を示すエラーでそれを拒否します。"),
    "float-only": Note(
        "your numerical_gradient accepts an integer array, where `x + h` is truncated back to `x` and the "
        "'gradient' is garbage: refuse it (or convert with `x.astype(float)`); float64 is what gradient checks "
        "need.",
        "numerical_gradient가 정수 배열을 받습니다. 정수 배열에서는 `x + h`가 다시 `x`로 잘려 '기울기'가 "
        "엉터리가 됩니다. 거부하거나 `x.astype(float)`로 바꾸세요. 기울기 확인에는 float64가 필요합니다.",
        "numerical_gradientが整数の配列を受け付けています。整数の配列では`x + h`が`x`に切り捨てられ、"
        "「勾配」はでたらめになります。受け付けないようにするか、`x.astype(float)`で変換しましょう。"
        "勾配確認にはfloat64が必要です。"),
    "any-shape": Note(
        "your numerical_gradient handles 1-D and 2-D `x` (the book's row-wise form): all Chapter 5 needs; "
        "`np.nditer` handles any shape (e.g. the 4-D filters of Chapter 7).",
        "numerical_gradient가 1차원과 2차원 `x`만 처리합니다 (책의 행 단위 형태). 5장에는 이것으로 "
        "충분합니다. `np.nditer`를 쓰면 어떤 형상이든 처리할 수 있습니다 (예: 7장의 4차원 필터).",
        "numerical_gradientが扱えるのは1次元と2次元の`x`です（書籍の行ごとの形）。5章にはこれで十分です。"
        "`np.nditer`を使えば、どんな形状でも扱えます（例：7章の4次元のフィルター）。"),
    "int-label": Note(
        "`cross_entropy_error(y, 2)` with a Python int label fails in your version (int has no reshape): "
        "`t = np.asarray(t)` first accepts it.",
        "파이썬 int 정답 레이블로 부른 `cross_entropy_error(y, 2)`가 실패합니다 (int에는 reshape가 "
        "없습니다). 먼저 `t = np.asarray(t)`로 바꾸면 받아들입니다.",
        "Pythonのintの正解ラベルで呼んだ`cross_entropy_error(y, 2)`が失敗します（intにはreshapeが"
        "ありません）。先に`t = np.asarray(t)`とすれば受け付けます。"),
}


def note_text(key, code="en"):
    """The note `key` in language `code` ("en", "ko" or "ja")."""
    note = NOTES.get(key)
    if note is None:  # a test marked with an unknown key: say so plainly rather than crash
        return f"{key}: an extra beyond the book is missing"
    return getattr(note, code)

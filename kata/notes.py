"""Notes: what the reference does beyond the book, told after an exercise is done.

A test marked @pytest.mark.note("<key>") checks one such extra. In the kata its failure
never blocks the exercise (the book's code is the chapter's contract); `check --strict`
(KATA_STRICT=1) makes the notes required, for those who want the reference's standard.
Each note says what the learner's code does and why it may matter, in one line.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    en: str
    ko: str


NOTES = {
    "relu-keeps-dout": Note(
        "your Relu changes the caller's array (the book's dout[self.mask] = 0): harmless in this network, "
        "but another layer reading the same dout would see zeros; dx = dout.copy() first keeps it intact.",
        "Relu가 호출한 쪽의 배열을 바꿉니다 (책의 dout[self.mask] = 0): 이 신경망에서는 문제없지만, 같은 dout을 "
        "읽는 다른 계층은 0을 보게 됩니다; 먼저 dx = dout.copy() 하면 원래 값이 보존됩니다."),
    "scales-by-dout": Note(
        "your SoftmaxWithLoss.backward ignores dout (the book's (y - t) / batch_size): right at the end of the "
        "network, where dout = 1; inside a bigger graph the chain rule needs dx * dout.",
        "SoftmaxWithLoss.backward가 dout을 쓰지 않습니다 (책의 (y - t) / batch_size): dout = 1인 신경망의 끝에서는 "
        "맞지만, 더 큰 계산 그래프 안에서는 연쇄법칙에 따라 dx * dout 이 필요합니다."),
    "label-targets": Note(
        "your code takes one-hot targets only, as the book's: integer labels t of shape (N,) "
        "(load_mnist(one_hot_label=False)) would need dx = y.copy(); dx[np.arange(N), t] -= 1.",
        "책처럼 원-핫 정답만 받습니다: 형상 (N,)의 정수 레이블 t (load_mnist(one_hot_label=False))에는 "
        "dx = y.copy(); dx[np.arange(N), t] -= 1 이 필요합니다."),
    "tensor-input": Note(
        "your Affine takes (N, D) rows only, as the book's 5.6.2: image batches (N, 1, 28, 28) "
        "(load_mnist(flatten=False), Chapter 7) need x.reshape(N, -1) in forward and dx reshaped back.",
        "Affine이 책의 5.6.2처럼 (N, D) 행만 받습니다: 이미지 배치 (N, 1, 28, 28) (load_mnist(flatten=False), "
        "7장)에는 forward에서 x.reshape(N, -1), backward에서 dx를 원래 형상으로 되돌리는 일이 필요합니다."),
    "sigmoid-no-overflow": Note(
        "your Sigmoid overflows in np.exp(-x) for x < -709 (a RuntimeWarning, then inf): fine in this "
        "network, which uses ReLU; functions.sigmoid gives the same values without overflow.",
        "Sigmoid가 x < -709에서 np.exp(-x) 오버플로를 냅니다 (RuntimeWarning 후 inf): ReLU를 쓰는 이 "
        "신경망에서는 괜찮습니다; functions.sigmoid는 오버플로 없이 같은 값을 줍니다."),
    "clear-errors": Note(
        "bad input (a wrong shape, backward before forward) fails deep inside numpy in your code: the "
        "reference's check_ lines turn it into an error that names the expected shape.",
        "잘못된 입력 (틀린 형상, forward 전에 backward)이 numpy 깊은 곳에서 실패합니다: 참고 구현의 check_ "
        "줄은 기대하는 형상을 알려 주는 오류로 바꿉니다."),
    "float-only": Note(
        "your numerical_gradient accepts an integer array, where x + h is truncated back to x and the "
        "'gradient' is garbage: refuse it (or convert with x.astype(float)); float64 is what gradient checks need.",
        "numerical_gradient가 정수 배열을 받습니다: x + h가 다시 x로 잘려 '기울기'가 엉터리가 됩니다. 거부하거나 "
        "x.astype(float)로 바꾸세요; 기울기 확인에는 float64가 필요합니다."),
    "any-shape": Note(
        "your numerical_gradient handles 1-D and 2-D x (the book's row-wise form): all Chapter 5 needs; "
        "np.nditer handles any shape (e.g. the 4-D filters of Chapter 7).",
        "numerical_gradient가 1차원과 2차원 x를 처리합니다 (책의 행 단위 형태): 5장에는 충분합니다; "
        "np.nditer는 어떤 형상이든 처리합니다 (예: 7장의 4차원 필터)."),
    "int-label": Note(
        "cross_entropy_error(y, 2) with a Python int label fails in your version (int has no reshape): "
        "t = np.asarray(t) first accepts it.",
        "파이썬 int 레이블로 부른 cross_entropy_error(y, 2)가 실패합니다 (int에는 reshape가 없습니다): "
        "먼저 t = np.asarray(t) 하면 받아들입니다."),
}


def note_text(key, lang="en"):
    note = NOTES.get(key)
    if note is None:  # a test marked with an unknown key: say so plainly rather than crash
        return f"{key}: an extra beyond the book is missing"
    return note.ko if lang == "ko" else note.en

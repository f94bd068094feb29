"""Sets the gradient with `=` in the sigmoid's rule, so a Value used twice loses the other op's share."""

QUESTION = "q08_sigmoid"
HINT = "your rule overwrote the share the product had already sent"
ANSWER = """
def sigmoid(self):
    out = Value(1 / (1 + math.exp(-self.data)), (self,), "sigmoid")

    def _backward():
        self.grad = out.data * (1 - out.data) * out.grad

    out._backward = _backward
    return out


Value.sigmoid = sigmoid
"""

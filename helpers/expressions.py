"""A safe playground: type an expression over a few leaves and see its graph.

``evaluate`` never hands the text to Python's eval. It parses it into a syntax tree and
walks the tree itself, accepting only an allow-list: numbers, the given leaves' names,
+ - * / ** @, unary minus and plus, parentheses, and calls of a fixed set of torch
functions. Everything else is refused with a ValueError that names it, before anything runs.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Mapping

import torch

Tensor = torch.Tensor

FUNCTIONS = {
    "exp": torch.exp,
    "log": torch.log,
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "sqrt": torch.sqrt,
    "abs": torch.abs,
    "sum": torch.sum,
    "mean": torch.mean,
    "detach": Tensor.detach,
}
OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.MatMult: operator.matmul,
}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}

DESCRIPTIONS = {
    "Attribute": "attribute access (a.b)",
    "Subscript": "indexing (a[...])",
    "Lambda": "lambda",
    "ListComp": "comprehensions",
    "SetComp": "comprehensions",
    "DictComp": "comprehensions",
    "GeneratorExp": "comprehensions",
    "Compare": "comparisons",
    "BoolOp": "and/or",
    "IfExp": "if-else",
    "List": "lists",
    "Tuple": "tuples",
    "Dict": "dicts",
    "Set": "sets",
    "JoinedStr": "f-strings",
    "NamedExpr": "assignment (:=)",
    "Starred": "unpacking (*)",
    "Slice": "slices",
    "Await": "await",
    "Yield": "yield",
    "YieldFrom": "yield",
}
MAX_LENGTH = 300  # characters
MAX_NESTING = 30  # parentheses deep: keeps the parser and our walk shallow
MAX_NODES = 200  # syntax-tree nodes
MAX_NUMBER = 1e6  # largest constant
MAX_EXPONENT = 64  # largest constant power
MAX_LEAF_ELEMENTS = 10_000
MAX_RESULT_ELEMENTS = 1_000_000  # no operation may produce more (an outer product could)
# All the results together: each one stays alive in the graph (values, tensors saved for
# backward), so many mid-sized steps could otherwise fill the memory one step at a time.
MAX_TOTAL_ELEMENTS = 4_000_000


def _refuse(what: str) -> ValueError:
    return ValueError(
        f"not allowed in the playground: {what}. Allowed: numbers, the leaves' names, "
        "+ - * / ** @, parentheses and the functions " + ", ".join(FUNCTIONS) + ", called as exp(z) or z.exp()."
    )


def _check_text(expression: object) -> str:
    if not isinstance(expression, str):
        raise ValueError(f"the expression must be text, got {type(expression).__name__}.")
    if not expression.strip():
        raise ValueError("the expression is empty: type one, e.g. (x + y**2) * z.")
    if len(expression) > MAX_LENGTH:
        raise ValueError(
            f"the expression is {len(expression)} characters long; the playground takes {MAX_LENGTH} at most."
        )
    depth = deepest = 0
    for char in expression:
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(char, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise ValueError(f"the expression nests {deepest} brackets deep; the playground takes {MAX_NESTING} at most.")
    return expression


def _check_leaves(leaves: Mapping[str, Tensor]) -> None:
    if not isinstance(leaves, Mapping):
        raise ValueError(f"leaves must be a dict of names to tensors, got {type(leaves).__name__}.")
    for name, value in leaves.items():
        if not (isinstance(name, str) and name.isidentifier()) or name.startswith("_") or name in FUNCTIONS:
            raise ValueError(f"{name!r} cannot name a leaf: use a plain name such as x, w1 or bias.")
        if not isinstance(value, Tensor):
            raise ValueError(f"leaf {name!r} must be a tensor, got {type(value).__name__}.")
        if value.numel() > MAX_LEAF_ELEMENTS:
            raise ValueError(
                f"leaf {name!r} has {value.numel()} elements; the playground takes {MAX_LEAF_ELEMENTS} at most."
            )


class _MethodsAsFunctions(ast.NodeTransformer):
    """``z.exp()`` and ``(x**2).sum()``, as learners write them in PyTorch, are read as
    ``exp(z)`` and ``sum(x**2)``: the same call of the same allowed function. Any other method
    is left for the check to refuse, with the way to write it."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        method = node.func
        if isinstance(method, ast.Attribute) and method.attr in FUNCTIONS and not node.args and not node.keywords:
            return ast.copy_location(ast.Call(ast.Name(method.attr, ast.Load()), [method.value], []), node)
        return node


def parse(expression: str, names) -> ast.Expression:
    """Parse and check `expression` against the allow-list; nothing is run."""
    _check_text(expression)
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        reason = error.msg if isinstance(error, SyntaxError) else type(error).__name__
        raise ValueError(f"not a valid expression: {reason}.") from None
    tree = _MethodsAsFunctions().visit(tree)
    count = 0
    for node in ast.walk(tree):
        count += 1
        if count > MAX_NODES:
            raise ValueError(f"the expression has more than {MAX_NODES} parts; make it shorter.")
        _check_node(node, names)
    return tree


def _check_node(node: ast.AST, names) -> None:
    if isinstance(node, (ast.Expression, ast.Load)) or type(node) in OPERATORS or type(node) in UNARY:
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in OPERATORS:
            raise _refuse(f"the operator {type(node.op).__name__}")
        if (
            isinstance(node.op, ast.Pow)
            and isinstance(node.right, ast.Constant)
            and isinstance(node.right.value, (int, float))
            and abs(node.right.value) > MAX_EXPONENT
        ):
            raise _refuse(f"a power above {MAX_EXPONENT}")
        return
    if isinstance(node, ast.UnaryOp):
        if type(node.op) not in UNARY:
            raise _refuse(f"the operator {type(node.op).__name__}")
        return
    if isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):
            raise _refuse(f"the constant {node.value!r}" if not isinstance(node.value, str) else "text in quotes")
        if abs(node.value) > MAX_NUMBER:
            raise _refuse(f"a number above {MAX_NUMBER:g}")
        return
    if isinstance(node, ast.Name):
        if node.id.startswith("__"):
            raise _refuse(f"the name {node.id!r}")
        if node.id not in names and node.id not in FUNCTIONS:
            raise _refuse(f"the unknown name {node.id!r} (the leaves are {sorted(names)})")
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            if isinstance(node.func, ast.Name):
                raise _refuse(f"calling {node.func.id!r}, which is not one of the functions")
            if isinstance(node.func, ast.Attribute):
                if node.func.attr in FUNCTIONS:
                    raise _refuse(f".{node.func.attr}() with arguments: write {node.func.attr}(z) with the tensor only")
                raise _refuse(f"the method .{node.func.attr}(), which is not one of the functions")
            raise _refuse("calling what another expression returned (f(x)(y))")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise _refuse(f"{node.func.id}() with other than one argument")
        return
    raise _refuse(DESCRIPTIONS.get(type(node).__name__, type(node).__name__))


def evaluate(expression: str, leaves: Mapping[str, Tensor]) -> Tensor:
    """Compute `expression` from `leaves` (a dict of names to tensors) with torch.

    Raises ValueError, naming what is not allowed, for anything outside the allow-list,
    before running any of it; also for arithmetic torch refuses (say, mismatched shapes)."""
    _check_leaves(leaves)
    tree = parse(expression, set(leaves))
    try:
        result = _run(tree.body, leaves, _Budget())
    except TooLargeError:
        raise
    except OverflowError:
        raise ValueError(
            f"cannot compute {expression.strip()!r}: a number in it grows too large "
            "to be stored (past about 1.8e308); use smaller numbers or powers."
        ) from None
    except (RuntimeError, TypeError, ValueError, ZeroDivisionError) as error:
        raise ValueError(f"cannot compute {expression.strip()!r}: {error}") from None
    if not isinstance(result, Tensor):  # an expression of numbers only
        result = torch.tensor(result)
    return result


def _result_elements(op: ast.operator, left: torch.Size, right: torch.Size) -> int:
    """How many elements an operation would make, worked out from the shapes alone (cheap,
    unlike a trial run on the meta device, whose first use takes a second). Shapes that do
    not fit count as 0: the operation itself then says what is wrong."""
    try:
        if not isinstance(op, ast.MatMult):
            return math.prod(_broadcast(left, right))
        if len(left) == 0 or len(right) == 0:
            return 0
        rows = (left[-2],) if len(left) > 1 else ()
        columns = (right[-1],) if len(right) > 1 else ()
        return math.prod(_broadcast(left[:-2], right[:-2]) + rows + columns)
    except ValueError:
        return 0


def _broadcast(left: tuple[int, ...], right: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast shape of two shapes, or ValueError. Worked out here because
    torch.broadcast_shapes imports sympy: 34 MiB and 0.4 s more in every app kernel."""
    size = max(len(left), len(right))
    left, right = (1,) * (size - len(left)) + tuple(left), (1,) * (size - len(right)) + tuple(right)
    shape = []
    for a, b in zip(left, right):
        if a != b and 1 not in (a, b):
            raise ValueError(f"shapes {left} and {right} do not broadcast")
        shape.append(b if a == 1 else a)
    return tuple(shape)


class TooLargeError(ValueError):
    """The expression would make more elements than the playground allows."""


class _Budget:
    """The elements the expression's results have made so far, against MAX_TOTAL_ELEMENTS."""

    def __init__(self):
        self.used = 0

    def spend(self, elements: int) -> None:
        if elements > MAX_RESULT_ELEMENTS:
            raise TooLargeError(
                f"too large for the playground: one step would make a result of {elements:,} "
                f"elements (at most {MAX_RESULT_ELEMENTS:,}); use smaller leaves."
            )
        self.used += elements
        if self.used > MAX_TOTAL_ELEMENTS:
            raise TooLargeError(
                f"too large for the playground: the results would hold more than "
                f"{MAX_TOTAL_ELEMENTS:,} elements in all (the graph keeps each one); use "
                "smaller leaves or fewer steps."
            )


def _elements(value) -> int:
    return value.numel() if isinstance(value, Tensor) else 1


def _run(node: ast.AST, leaves: Mapping[str, Tensor], budget: _Budget):
    # Only the node types _check_node accepted can arrive here. Each step's size is
    # spent from the budget before the step runs.
    if isinstance(node, ast.Constant):
        # As a float, never an int: 9 ** 9 ** 9 then overflows at once instead of
        # computing a number with millions of digits. Left as a Python number, it
        # gives the same graph as hand-written code (x ** 2 is PowBackward0).
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in leaves:
            raise _refuse(f"the function {node.id} without calling it")
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _run(node.operand, leaves, budget)
        budget.spend(_elements(operand))
        return UNARY[type(node.op)](operand)
    if isinstance(node, ast.BinOp):
        left, right = _run(node.left, leaves, budget), _run(node.right, leaves, budget)
        if isinstance(left, Tensor) and isinstance(right, Tensor):
            budget.spend(_result_elements(node.op, left.shape, right.shape))
        else:
            budget.spend(max(_elements(left), _elements(right)))
        return OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.Call):
        argument = _run(node.args[0], leaves, budget)
        reduces = node.func.id in ("sum", "mean")
        budget.spend(1 if reduces else _elements(argument))
        return FUNCTIONS[node.func.id](torch.as_tensor(argument))
    raise _refuse(type(node).__name__)

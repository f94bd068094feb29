"""Count the memory PyTorch's tensors take while a block of code runs, on the CPU too.

CUDA has ``torch.cuda.max_memory_allocated``; the CPU has no such counter. This meter
sees every tensor an operation creates (forward and backward) through a dispatch mode,
and follows each storage until it is freed, so it knows how much tensor memory was alive
at the peak and how much is still alive at the end.
"""

from __future__ import annotations

import weakref

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten


class TensorMemoryMeter(TorchDispatchMode):
    """``with TensorMemoryMeter() as meter: ...`` then ``meter.peak_bytes`` and
    ``meter.live_bytes`` (storage created inside the block and not yet freed)."""

    def __init__(self):
        super().__init__()
        self.live_bytes = 0
        self.peak_bytes = 0
        self._live: set[int] = set()  # data pointers of storages being followed

    def _follow(self, tensor: torch.Tensor) -> None:
        storage = tensor.untyped_storage()
        key, size = storage.data_ptr(), storage.nbytes()
        if size == 0 or key in self._live:  # views share their base's storage
            return
        self._live.add(key)
        self.live_bytes += size
        self.peak_bytes = max(self.peak_bytes, self.live_bytes)
        weakref.finalize(storage, self._freed, key, size)

    def _freed(self, key: int, size: int) -> None:
        if key in self._live:
            self._live.discard(key)
            self.live_bytes -= size

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        # A result sharing an input's storage (a view such as a weight's transpose, or an
        # in-place result) allocates nothing, even when that storage predates the block.
        inputs = {
            t.untyped_storage().data_ptr() for t in tree_flatten((args, kwargs))[0] if isinstance(t, torch.Tensor)
        }
        result = func(*args, **(kwargs or {}))
        for value in tree_flatten(result)[0]:
            if isinstance(value, torch.Tensor) and value.untyped_storage().data_ptr() not in inputs:
                self._follow(value)
        return result

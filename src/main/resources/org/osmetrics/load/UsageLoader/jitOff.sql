-- The statements of a load are short: compiling their plans (JIT) took longer than running them.
SET LOCAL jit = off

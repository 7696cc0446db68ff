// libtorch's seed and intra-op thread count are process-wide: tests that train must not run at the same time,
// or one test's torch.set_num_threads changes another's reduction order (and so its last bits).
[assembly: CollectionBehavior(DisableTestParallelization = true)]

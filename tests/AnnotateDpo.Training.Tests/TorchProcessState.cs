// TorchSharp's seed, default generator and thread count belong to the process: a test that compares two runs step for
// step would see another test's draws or thread count if the two ran side by side, and fail now and then.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

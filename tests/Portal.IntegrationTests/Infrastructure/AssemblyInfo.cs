// Each test class owns a database; classes run in parallel up to the machine's cores.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]

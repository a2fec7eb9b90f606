import CatalogFixture

/// The soak's dataset: the benchmark catalog, small, changed by `changeFraction` each cycle
/// (a third of the touched movies removed, a third modified, a third added, so its size holds).
/// Cycle 1 is the generated catalog; cycle k is cycle k - 1 changed by `nextCycle(cycle: k)`.
/// Producer and consumer build the same sequence from the same parameters.
struct SoakDataset {
    let parameters: CatalogParameters

    init(records: Int, changePercent: Double, seed: UInt64) {
        parameters = CatalogParameters(movieCount: records, personCount: max(50, records / 5), seed: seed,
                                       changeFraction: changePercent / 100)
    }

    static let defaultSeed = CatalogParameters().seed

    func first() -> Catalog { Catalog(parameters) }

    func next(after catalog: Catalog, cycle: Int) -> Catalog {
        catalog.nextCycle(cycle: UInt64(cycle)).0
    }

    /// The catalog of `cycle` (1-based), built from the first.
    func catalog(atCycle cycle: Int) -> Catalog {
        var catalog = first()
        if cycle >= 2 { for step in 2...cycle { catalog = next(after: catalog, cycle: step) } }
        return catalog
    }
}

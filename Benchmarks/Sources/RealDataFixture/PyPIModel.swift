import CatalogFixture
import HollowCore

/// The PyPI list as a Hollow dataset: a `Project` record per project, keyed by name.
public enum PyPIModel: RealDataModel {
    public typealias Row = PyPIProject
    public static let dataset = Dataset.pypi
    public static let recordType = "Project"
    public static let sharedFields: [(field: String, type: String)] = [("version", "Version"), ("month", "Month")]

    public static func parse(_ text: [UInt8], file: String) throws -> [PyPIProject] {
        try PyPIParser.parse(text, file: file)
    }

    public static func schemaText(_ mapping: Mapping) -> String {
        sharedTypeDeclarations(mapping) + """
            type Project key(name) {
                name: string
                version: \(stringType("version", mapping))
                month: \(stringType("month", mapping))
                rank: int?
                summary: string
            }
            """
    }

    public static func populate(_ state: WriteState, with rows: [PyPIProject], mapping: Mapping) throws {
        let schema = state.schema
        guard let projectSchema = schema.object("Project") else { throw FixtureError("the schema is not the PyPI list's") }
        let name = try fieldIndex(schema, "Project", "name"), rank = try fieldIndex(schema, "Project", "rank")
        let summary = try fieldIndex(schema, "Project", "summary")
        var version = try StringSetter(schema, type: "Project", field: "version")
        var month = try StringSetter(schema, type: "Project", field: "month")
        var record = ObjectRecord(projectSchema)
        for row in rows {
            try record.set(fieldAt: name, .string(row.name))
            try version.set(&record, row.version, state)
            try month.set(&record, row.month, state)
            try record.set(fieldAt: rank, row.rank.map { .int(Int32($0)) })
            try record.set(fieldAt: summary, .string(row.summary))
            try state.add(record)
        }
    }

    public static func rowReader(_ state: ReadState, mapping: Mapping) throws -> (Int) -> PyPIProject {
        func column(_ field: String) throws -> StringColumn { try StringColumn(state, type: "Project", field: field) }
        let name = try column("name"), version = try column("version"), month = try column("month")
        let summary = try column("summary")
        guard let rank = name.records.field("rank") else { throw FixtureError("the state is not the PyPI list's") }
        let projects = name.records
        return { ordinal in
            PyPIProject(
                name: name.string(ordinal) ?? "<null>", version: version.string(ordinal) ?? "<null>",
                month: month.string(ordinal) ?? "<null>", rank: projects.int(ordinal, rank).map(Int.init),
                summary: summary.string(ordinal) ?? "<null>")
        }
    }

    /// A post-release: `1.2.3` becomes `1.2.3.post1`.
    public static func bumped(_ version: String) -> String { version + ".post1" }

    public static let scanNumberField = "rank"

    public static func scan(_ fields: ScanFields, _ mapping: Mapping) -> Int {
        switch mapping {
        case .plain: scanIntPlain(fields)
        case .shared: scanIntShared(fields)
        }
    }

    public static func lookupVersion(_ dictionary: [String: PyPIProject], _ keys: [String], from start: Int, count: Int) -> (sum: Int, next: Int) {
        RealDataFixture.lookupVersion(dictionary, keys, from: start, count: count)
    }

    public static func scanTwoFields(_ dictionary: [String: PyPIProject]) -> Int { RealDataFixture.scanTwoFields(dictionary) }
}

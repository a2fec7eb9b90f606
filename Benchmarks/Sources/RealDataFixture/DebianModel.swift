import CatalogFixture
import HollowCore

/// Debian's package index as a Hollow dataset: a `Package` record per package, keyed by name.
/// `depends` is a list of references to `PackageName` in both mappings (a list holds ordinals).
public enum DebianModel: RealDataModel {
    public typealias Row = DebianPackage
    public static let dataset = Dataset.debian
    public static let recordType = "Package"
    public static let sharedFields: [(field: String, type: String)] = [
        ("version", "Version"), ("architecture", "Architecture"), ("section", "Section"),
        ("priority", "Priority"), ("maintainer", "Maintainer"),
    ]

    public static func parse(_ text: [UInt8], file: String) throws -> [DebianPackage] {
        try DebianIndexParser.parse(text, file: file)
    }

    public static func schemaText(_ mapping: Mapping) -> String {
        func type(_ field: String) -> String { stringType(field, mapping) }
        return sharedTypeDeclarations(mapping) + """
            type PackageName { name: string }
            list DependsList of PackageName
            type Package key(name) {
                name: string
                version: \(type("version"))
                architecture: \(type("architecture"))
                section: \(type("section"))
                priority: \(type("priority"))
                maintainer: \(type("maintainer"))
                installedSize: int?
                size: long
                sha256: string
                description: string
                depends: DependsList
            }
            """
    }

    public static func populate(_ state: WriteState, with rows: [DebianPackage], mapping: Mapping) throws {
        let schema = state.schema
        guard let packageSchema = schema.object("Package"), let nameSchema = schema.object("PackageName") else {
            throw FixtureError("the schema is not the Debian index's")
        }
        let name = try fieldIndex(schema, "Package", "name"), installedSize = try fieldIndex(schema, "Package", "installedSize")
        let size = try fieldIndex(schema, "Package", "size"), sha256 = try fieldIndex(schema, "Package", "sha256")
        let description = try fieldIndex(schema, "Package", "description"), depends = try fieldIndex(schema, "Package", "depends")
        var version = try StringSetter(schema, type: "Package", field: "version")
        var architecture = try StringSetter(schema, type: "Package", field: "architecture")
        var section = try StringSetter(schema, type: "Package", field: "section")
        var priority = try StringSetter(schema, type: "Package", field: "priority")
        var maintainer = try StringSetter(schema, type: "Package", field: "maintainer")
        var record = ObjectRecord(packageSchema)
        var dependency = ObjectRecord(nameSchema)
        var dependencies: [Int] = []
        for row in rows {
            dependencies.removeAll(keepingCapacity: true)
            for target in row.depends {
                try dependency.set(fieldAt: 0, .string(target))
                dependencies.append(try state.add(dependency))
            }
            try record.set(fieldAt: depends, .reference(try state.add(list: dependencies, to: "DependsList")))
            try record.set(fieldAt: name, .string(row.name))
            try version.set(&record, row.version, state)
            try architecture.set(&record, row.architecture, state)
            try section.set(&record, row.section, state)
            try priority.set(&record, row.priority, state)
            try maintainer.set(&record, row.maintainer, state)
            try record.set(fieldAt: installedSize, row.installedSize.map { .int(Int32($0)) })
            try record.set(fieldAt: size, .long(Int64(row.size)))
            try record.set(fieldAt: sha256, .string(row.sha256))
            try record.set(fieldAt: description, .string(row.description))
            try state.add(record)
        }
    }

    public static func rowReader(_ state: ReadState, mapping: Mapping) throws -> (Int) -> DebianPackage {
        func column(_ field: String) throws -> StringColumn { try StringColumn(state, type: "Package", field: field) }
        let name = try column("name"), version = try column("version"), architecture = try column("architecture")
        let section = try column("section"), priority = try column("priority"), maintainer = try column("maintainer")
        let sha256 = try column("sha256"), description = try column("description")
        let packages = name.records
        guard let installedSize = packages.field("installedSize"), let size = packages.field("size"),
              let depends = packages.field("depends"), let lists = state.listType("DependsList"),
              let names = state.objectType("PackageName"), let nameValue = names.field("name")
        else { throw FixtureError("the state is not the Debian index's") }
        return { ordinal in
            DebianPackage(
                name: name.string(ordinal) ?? "<null>", version: version.string(ordinal) ?? "<null>",
                architecture: architecture.string(ordinal) ?? "<null>", section: section.string(ordinal) ?? "<null>",
                priority: priority.string(ordinal) ?? "<null>", maintainer: maintainer.string(ordinal) ?? "<null>",
                installedSize: packages.int(ordinal, installedSize).map(Int.init),
                size: packages.long(ordinal, size).map { Int($0) } ?? -1,
                sha256: sha256.string(ordinal) ?? "<null>", description: description.string(ordinal) ?? "<null>",
                depends: packages.reference(ordinal, depends).map { list in
                    lists.elements(list).map { names.string($0, nameValue) ?? "<null>" }
                } ?? ["<null>"])
        }
    }

    /// A binary rebuild: `1.2-3` becomes `1.2-3+b1`.
    public static func bumped(_ version: String) -> String { version + "+b1" }

    public static let scanNumberField = "size"

    public static func scan(_ fields: ScanFields, _ mapping: Mapping) -> Int {
        switch mapping {
        case .plain: scanLongPlain(fields)
        case .shared: scanLongShared(fields)
        }
    }

    public static func lookupVersion(_ dictionary: [String: DebianPackage], _ keys: [String], from start: Int, count: Int) -> (sum: Int, next: Int) {
        RealDataFixture.lookupVersion(dictionary, keys, from: start, count: count)
    }

    public static func scanTwoFields(_ dictionary: [String: DebianPackage]) -> Int { RealDataFixture.scanTwoFields(dictionary) }
}

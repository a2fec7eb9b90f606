import ArgumentParser

/// `--version VERSION`: an older state instead of the wanted one.
struct VersionOption: ParsableArguments {
    @Option(name: .customLong("version"), help: ArgumentHelp("Read this version instead of the latest (or pinned) one.", valueName: "version"))
    var version: UInt64?
}

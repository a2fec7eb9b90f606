// The soak of issue 13: a producer and a consumer run for thousands of cycles on files, each in a
// process of its own, so that scripts/soak.sh can sample their resident memory and descriptors
// from /proc. Each mode prints a JSON summary on standard output when it ends.
//
//     swift build -c release --product HollowSoak
//     .build/release/HollowSoak produce --store DIR --cycles 10000 --records 3000 --change-percent 1 [--every 60]
//     .build/release/HollowSoak consume --store DIR --until-version 10000
//     .build/release/HollowSoak verify --store DIR --records 3000      # afterwards: the last state against the dataset
//     .build/release/HollowSoak log-cost --store DIR                   # what the announcement log costs a reader
import Foundation
import Logging

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = SoakArguments.logLevel(CommandLine.arguments)
    return handler
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "produce":
        let summary = try await ProduceMode(try SoakArguments(Array(arguments.dropFirst()))).run()
        SoakOutput.printJSON(summary)
        exit(summary.failedCycles == 0 ? 0 : 1)
    case "consume":
        let summary = try await ConsumeMode(try SoakArguments(Array(arguments.dropFirst()))).run()
        SoakOutput.printJSON(summary)
        exit(summary.isClean ? 0 : 1)
    case "verify":
        let summary = try await VerifyMode(try SoakArguments(Array(arguments.dropFirst()))).run()
        SoakOutput.printJSON(summary)
        exit(summary.isEqual ? 0 : 1)
    case "log-cost":
        SoakOutput.printJSON(try await LogCostMode(try SoakArguments(Array(arguments.dropFirst()))).run())
    default:
        SoakOutput.error("""
            usage: HollowSoak produce --store DIR --cycles N [--records R] [--change-percent P] [--every MS] [--seed S]
                                      [--snapshot-every N] [--snapshots-to-keep N] [--log-level LEVEL]
                   HollowSoak consume --store DIR --until-version N [--lookups N] [--poll-ms MS] [--log-level LEVEL]
                   HollowSoak verify --store DIR [--records R] [--change-percent P] [--seed S]
                   HollowSoak log-cost --store DIR
            """)
        exit(2)
    }
} catch {
    SoakOutput.error("HollowSoak: \(error)")
    exit(2)
}

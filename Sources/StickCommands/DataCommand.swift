// stick data — import the public benchmark data, write the demo dataset, summarise a dataset.
//
// Usage:
//   stick data import SOURCE -o DIR [--sha256 HEX] [--max-bytes N] [--timeout SECONDS] [--force]
//       SOURCE: a value_stability checkout (directory), a tarball of it, or an http(s):// URL of one.
//       Links in the source are never followed; a download is capped (--max-bytes, default 1G) and
//       timed out (--timeout, default 600 s), is staged beside DIR, and a plain http:// one without
//       --sha256 gets a warning. -o refuses an existing file or dataset unless --force, and a link or a
//       directory of other files always.
//   stick data import-results RESULTS_DIR… -o answers.jsonl.zst   (see DataImportResultsCommand.swift)
//   stick data import-models DIR -o pipelines/models/leaderboard     (see DataImportModelsCommand.swift)
//   stick data demo -o DIR [--force]      write the embedded synthetic demo dataset to DIR
//   stick data info [DIR|demo]            counts, instruments, hashes
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts
import StickDataImport
import StickDataset

public struct DataCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Import, export and inspect datasets.",
        subcommands: [DataImportCommand.self, DataImportResultsCommand.self, DataImportModelsCommand.self, DataDemoCommand.self,
                      DataInfoCommand.self])
    public init() {}
}

public struct DataImportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the public value_stability data (directory, tarball or URL) into a dataset directory.",
        discussion: """
            Examples:
              stick data import ../value_stability -o data/value_stability
              stick data import value_stability.tar.gz -o data/value_stability
              stick data import https://example.org/value_stability.tar.gz --sha256 <hex> -o data/value_stability

            Texts are kept byte-exact, quirks included (Sources/StickGenPrompts/README.md §2). The reference's LICENSE is kept
            as LICENSE.reference. Reddit posts: Webis-TLDR-17, CC BY 4.0 (Völske et al. 2017).
            """)

    @Argument(help: "Directory, tarball (.tar, .tar.gz, .tar.zst, …) or http(s) URL.")
    var source: String

    @Option(name: [.short, .customLong("output")], help: "Dataset directory to create.")
    var output: String

    @Option(name: .long, help: "Expected sha256 of the tarball or download.")
    var sha256: String?

    @Option(name: .long, help: "Largest download accepted (e.g. 2G).")
    var maxBytes = ByteCount(1 << 30)

    @Option(name: .long, help: "Seconds the whole download may take.")
    var timeout: Double = 600

    @Flag(name: .long, help: "Replace an existing dataset directory (or file) at the output.")
    var force = false

    public init() {}

    public func validate() throws {
        if let sha256, sha256.count != 64 || !sha256.allSatisfy(\.isHexDigit) {
            throw ValidationError("--sha256 must be 64 hexadecimal digits")
        }
        guard maxBytes.bytes > 0, timeout > 0 else { throw ValidationError("--max-bytes and --timeout must be positive") }
    }

    public func run() throws {
        let download = Download.Options(maxBytes: Int64(maxBytes.bytes), timeout: timeout)
        let report = try ReferenceImporter.importDataset(from: source, to: output, expectedSHA256: sha256, overwrite: force,
                                                         download: download, note: Console.note)
        Console.note("imported \(report.rootFound) → \(report.directory)")
        Console.note(DatasetSummary.text(try Dataset.load(output)))
    }
}

public struct DataDemoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write the embedded synthetic demo dataset to a directory (to read or edit it).",
        discussion: "Example:\n  stick data demo -o data/demo && stick gen-prompts data/demo | head -c 300")

    @Option(name: [.short, .customLong("output")], help: "Dataset directory to create.")
    var output: String

    @Flag(name: .long, help: "Replace an existing dataset directory (or file) at the output.")
    var force = false

    public init() {}

    public func run() throws {
        let demo = try DemoDataset.load()
        try DatasetWriter.write(manifest: demo.manifest, openers: demo.openerSets, to: output, overwrite: force)
        Console.note("wrote the synthetic demo dataset → \(output)")
    }
}

public struct DataInfoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Summarise a dataset.",
        discussion: "Examples:\n  stick data info data/value_stability\n  stick data info demo")

    @Argument(help: "Dataset directory or `demo`.")
    var dataset: String = "demo"

    public init() {}

    public func run() throws {
        Console.out(DatasetSummary.text(try Dataset.load(dataset)))
    }
}

enum DatasetSummary {
    static func text(_ d: Dataset) -> String {
        let m = d.manifest
        var lines = ["dataset \(m.name)\(m.synthetic ? " (SYNTHETIC demo data)" : "") — \(d.location)",
                     "  manifest sha256 \(d.manifestSHA256)", "  license: \(m.license)", "  default design: \(m.defaultDesign)"]
        for i in m.instruments {
            let variants = i.variants.keys.sorted().joined(separator: "/")
            lines.append("  instrument \(i.id): \(i.itemCount) items × \(i.optionScores.count) options, \(i.values.count) values, "
                + "procedure \(i.procedure.rawValue), variants \(variants) — \(i.name)")
        }
        for p in m.populations {
            let genders = Dictionary(grouping: p.personas, by: \.gender).map { "\($0.key):\($0.value.count)" }.sorted()
            lines.append("  population \(p.id): \(p.personas.count) personas (\(genders.joined(separator: " ")))")
        }
        for s in m.interlocutorSets { lines.append("  interlocutors \(s.id): \(s.personas.count) for population \(s.population)") }
        for o in m.openerSets { lines.append("  openers \(o.id): \(o.count) (sha256 \(o.sha256.prefix(16))…)") }
        if !m.attribution.isEmpty { lines.append("  attribution:") ; lines += m.attribution.map { "    - \($0)" } }
        return lines.joined(separator: "\n")
    }
}

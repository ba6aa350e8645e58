// The house rule "stages meet only through formats": no stage module imports another stage module,
// in its sources or in Package.swift, and the shared modules import no stage.
import Foundation
import StickTestSupport
import Testing

@Suite struct ArchitectureTests {
    static let stages = ["StickGenPrompts", "StickQuery", "StickParse", "StickScore", "StickRank", "StickReport", "StickPipeline"]
    static let shared = ["StickArtifacts", "StickDataset", "StickDataImport", "StickRandom", "StickDigest", "StickPsychometrics",
                         "StickBackends", "StickCLI"]
    /// Umbrella modules: they may use every stage (the audit reruns several in-process); no stage or
    /// shared module may use them, and only the `stick` executable links them (through StickCommands).
    static let umbrellas = ["StickAudit", "StickCommands"]
    /// What each stage may use besides the formats (StickArtifacts) and the command-line support (StickCLI).
    static let allowed: [String: Set<String>] = [
        "StickGenPrompts": ["StickDataset", "StickRandom"],
        "StickQuery": ["StickBackends", "StickRandom"],
        "StickParse": ["StickRandom"],
        "StickScore": ["StickPsychometrics"],
        "StickRank": ["StickPsychometrics"],
        "StickReport": ["StickPsychometrics"],
        "StickPipeline": [],
    ]

    /// The Stick modules each source file of `module` imports.
    static func imports(of module: String) throws -> Set<String> {
        let dir = TestPaths.packageRoot.appendingPathComponent("Sources/\(module)")
        var found = Set<String>()
        let files = FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                if let i = words.firstIndex(of: "import"), i + 1 < words.count, words[i + 1].hasPrefix("Stick") {
                    found.insert(String(words[i + 1]))
                }
            }
        }
        return found
    }

    /// The target dependencies Package.swift declares for `module` (names in quotes inside its entry).
    static func declaredDependencies(of module: String) throws -> Set<String> {
        let manifest = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        // The target's entry, not the product of the same name (`.executable(name: "score", …)`).
        var searchFrom = manifest.startIndex
        var found: Range<String.Index>?
        while let r = manifest.range(of: "name: \"\(module)\"", range: searchFrom..<manifest.endIndex) {
            let before = manifest[..<r.lowerBound].replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
            if before.hasSuffix("Target(") || before.hasSuffix("target(") { found = r; break }
            searchFrom = r.upperBound
        }
        guard let start = found else { return [] }
        let rest = manifest[start.upperBound...]
        let end = [".target(", ".executableTarget(", ".testTarget(", ".systemLibrary("]
            .compactMap { rest.range(of: $0)?.lowerBound }.min() ?? rest.endIndex
        var names = Set<String>()
        var remainder = rest[..<end]
        while let open = remainder.firstIndex(of: "\"") {
            let after = remainder[remainder.index(after: open)...]
            guard let close = after.firstIndex(of: "\"") else { break }
            let name = String(after[..<close])
            if name.hasPrefix("Stick") { names.insert(name) }
            remainder = after[after.index(after: close)...]
        }
        return names
    }

    @Test("no stage imports another stage; each uses only the formats and its shared modules", arguments: stages)
    func stageStandsAlone(stage: String) throws {
        let used = try Self.imports(of: stage).union(Self.declaredDependencies(of: stage))
        let permitted = Self.allowed[stage]!.union(["StickArtifacts", "StickCLI"])
        #expect(used.subtracting(permitted).isEmpty, "\(stage) uses \(used.subtracting(permitted).sorted())")
    }

    @Test("shared modules import no stage", arguments: shared)
    func sharedModulesImportNoStage(module: String) throws {
        let used = try Self.imports(of: module).union(Self.declaredDependencies(of: module))
        #expect(used.intersection(Self.stages).isEmpty, "\(module) uses \(used.intersection(Self.stages).sorted())")
    }

    /// The stage executables and the one stage module each may link.
    static let executables = ["gen-prompts": "StickGenPrompts", "query": "StickQuery", "parse": "StickParse",
                              "score": "StickScore", "rank": "StickRank"]

    @Test("each stage executable links its own stage and the command-line support only", arguments: executables.keys.sorted())
    func executableIsThin(executable: String) throws {
        let declared = try Self.declaredDependencies(of: executable)
        #expect(declared == [Self.executables[executable]!, "StickCLI"], "\(executable) depends on \(declared.sorted())")
        let imported = try Self.imports(of: executable)
        #expect(imported.isSubset(of: declared), "\(executable) imports \(imported.subtracting(declared).sorted())")
    }

    @Test("no stage or shared module uses an umbrella module", arguments: stages + shared)
    func umbrellaModulesStayOnTop(module: String) throws {
        let used = try Self.imports(of: module).union(Self.declaredDependencies(of: module))
        #expect(used.intersection(Self.umbrellas).isEmpty, "\(module) uses \(used.intersection(Self.umbrellas).sorted())")
    }

    @Test("the audit module is linked by StickCommands only, never by a stage executable")
    func auditIsUmbrellaOnly() throws {
        #expect(try Self.declaredDependencies(of: "StickCommands").contains("StickAudit"))
        for executable in Self.executables.keys {
            #expect(!(try Self.declaredDependencies(of: executable)).contains("StickAudit"), "\(executable) links StickAudit")
        }
        // The audit calls the stages it reruns, and is itself no stage.
        #expect(!Self.stages.contains("StickAudit"))
        #expect(try Self.imports(of: "StickAudit").isSuperset(of: ["StickGenPrompts", "StickQuery", "StickParse", "StickScore"]))
    }
}

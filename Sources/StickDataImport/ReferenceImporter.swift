// Imports the public StickToYourRole/value_stability layout (a directory, a tarball of it, or an
// http(s) URL of such a tarball) into the toolkit's dataset format, keeping every text byte-exact
// and every quirk (StickGenPrompts/README.md §2, StickQuery/README.md §7).
import Foundation
import StickArtifacts
import StickDataset

/// Strings the reference code (not its data files) contributes to the prompts
/// (StickGenPrompts/README.md §3, StickQuery/README.md §3).
public enum ReferenceProtocolText {
    public static let pvqInstructions =
        "Here we briefly describe some people. Please read each description and think about how much each person is or is not like you. Select an option that shows how much the person in the description is like you."
    public static let svsGroup1Description = "VALUES LIST I\n"
    public static let svsGroup2Description =
        "VALUES LIST II\n\nNow rate how important each of the following values is for you as a guiding principle in YOUR life.  These values are phrased as ways of acting that may be more or less important for you.  Once again, try to distinguish as much as possible between the values by using all the numbers.\n"
    public static let svsPrefixMost1 =
        "Before you begin, read the values in List I, reply with a letter denoting the one that is most important to you and rate its importance."
    public static let svsPrefixLeast1 =
        "Now, reply with a letter denoting the value that is most opposed to your values and rate it -1.  If there is no such value, choose the value least important to you and rate it 0 or 1, according to its importance."
    public static let svsPrefixMost2 =
        "Before you begin, read the values in List II, reply with a letter denoting the one that is the most important to you and rate its importance."
    public static let svsPrefixLeast2 =
        "Now, reply with a letter denoting the value that is most opposed to your values, or - if there is no such value - choose the value least important to you, and rate it -1, 0, or 1, according to its importance."
    public static let svsRestInstruction = "Now, rate the rest of the values."
    public static let svsChosenPrefix = "You chose "
    public static let svsChosenSuffix = ", now rate its importance."
}

public struct ImportReport: Sendable {
    public var manifest: DatasetManifest
    public var directory: String
    public var rootFound: String
}

public enum ReferenceImporter {
    static let markerPath = "personas/real_world_people/personas.json"

    /// Imports from a directory, a tarball or an http(s) URL into `output`. Downloads and extractions
    /// happen in a staging directory beside `output` (removed at the end; one left by a killed run is
    /// removed by the next, and `note` says so). Files of the source are read without following links.
    public static func importDataset(from source: String, to output: String, expectedSHA256: String? = nil,
                                     overwrite: Bool = false, download: Download.Options = .init(),
                                     note: @escaping @Sendable (String) -> Void = { _ in }) throws -> ImportReport {
        let fm = FileManager.default
        // Refuse a bad output before spending a download on it.
        try DatasetWriter.checkOutput(output, overwrite: overwrite)
        let parent = DatasetWriter.parentDirectory(of: output)
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        for stale in StagingDirectory.removeAbandoned(in: parent, purpose: "import") {
            note("removed \(stale), left by an interrupted import")
        }
        var scratch: StagingDirectory?
        func staging() throws -> StagingDirectory {
            if let scratch { return scratch }
            let made = try StagingDirectory(in: parent, purpose: "import")
            scratch = made
            return made
        }
        defer { scratch?.remove() }

        var local = source
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            if source.hasPrefix("http://") && expectedSHA256 == nil {
                note("warning: downloading over plain http:// without --sha256: anyone on the network path can "
                    + "change what is imported; pass --sha256 HEX to verify it")
            }
            local = try staging().file("download")
            try Download.fetch(source, to: local, options: download, note: note)
        } else if source.hasPrefix("file://") {
            local = URL(string: source)?.path ?? String(source.dropFirst(7))
        }
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: local, isDirectory: &isDirectory) else {
            throw StickError("no such file or directory", file: source)
        }
        if let expectedSHA256, !isDirectory.boolValue {
            let actual = try SHA256Hex.ofFile(local).sha256
            guard actual.lowercased() == expectedSHA256.lowercased() else {
                throw StickError("sha256 mismatch: got \(actual), expected \(expectedSHA256)", file: source)
            }
        } else if expectedSHA256 != nil {
            throw StickError("--sha256 applies to a tarball or URL, not a directory", file: source)
        }
        var root = local
        if !isDirectory.boolValue {
            let extracted = try staging().file("tree")
            try Archives.extract(local, into: extracted, limits: ExtractionLimits(maxMemberSize: 512 << 20, maxTotalSize: 4 << 30),
                                 requireManifest: false)
            root = extracted
        }
        guard let found = findRoot(root) else {
            throw StickError("does not hold the value_stability layout (no \(markerPath) found)", file: source)
        }
        let (manifest, openers, license) = try read(root: found, sourceName: source)
        let extra = license.map { ["LICENSE.reference": $0] } ?? [:]
        let written = try DatasetWriter.write(manifest: manifest, openers: openers, to: output, overwrite: overwrite,
                                              extraFiles: extra)
        return ImportReport(manifest: written, directory: output, rootFound: found)
    }

    /// The directory at or below `dir` (up to three levels, links not followed) that holds the layout.
    static func findRoot(_ dir: String) -> String? {
        var frontier = [""]
        for _ in 0..<4 {
            var next: [String] = []
            for d in frontier {
                if ConfinedFile.isRegularFile(root: dir, relative: d.isEmpty ? markerPath : d + "/" + markerPath) {
                    return d.isEmpty ? dir : (dir as NSString).appendingPathComponent(d)
                }
                let children = ((try? FileManager.default.contentsOfDirectory(atPath: (dir as NSString).appendingPathComponent(d))) ?? []).sorted()
                for c in children where !c.hasPrefix(".") {
                    let rel = d.isEmpty ? c : d + "/" + c
                    if ConfinedFile.isDirectory(root: dir, relative: rel) { next.append(rel) }
                }
            }
            frontier = next
        }
        return nil
    }

    static func readText(_ root: String, _ rel: String) throws -> String {
        let path = (root as NSString).appendingPathComponent(rel)
        guard exists(root, rel) else { throw StickError("missing file of the reference layout", file: path) }
        let data = try ConfinedFile.read(root: root, relative: rel)
        guard let text = String(data: data, encoding: .utf8) else { throw StickError("not UTF-8 text", file: path) }
        return text
    }

    /// Whether something (a file, a link, anything) is at `rel`: what is there is then read confined,
    /// so a link is an error rather than a silently missing file.
    static func exists(_ root: String, _ rel: String) -> Bool {
        var st = stat()
        return lstat((root as NSString).appendingPathComponent(rel), &st) == 0
    }

    static func readPersonas(_ root: String, _ rel: String) throws -> [Persona] {
        let path = (root as NSString).appendingPathComponent(rel)
        do { return try JSONDecoder().decode([Persona].self, from: Data(try readText(root, rel).utf8)) } catch let e as StickError {
            throw e
        } catch {
            throw StickError(describeDecodingError(error), file: path)
        }
    }

    /// `str.rstrip()`.
    static func pythonRStrip(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars
        while let last = scalars.last, last.properties.isWhitespace || (0x1C...0x1F).contains(last.value) {
            scalars.removeLast()
        }
        return String(scalars)
    }

    /// Rows of a questionnaire CSV as the reference reads them: column 0 is the text (literal `\n`
    /// turned into newlines), columns 1..ncols-2 the options (`undef` skipped), the last the label.
    static func questionnaire(_ root: String, _ rel: String) throws -> [QuestionnaireItem] {
        let rows = CSV.rows(try readText(root, rel))
        let path = (root as NSString).appendingPathComponent(rel)
        guard let width = rows.first?.count, width >= 3 else { throw StickError("expected at least 3 columns", file: path) }
        return try rows.enumerated().map { (i, row) in
            guard row.count == width else {
                throw StickError("row has \(row.count) columns, the first has \(width)", file: path, line: i + 1)
            }
            let options = row[1..<(width - 1)].filter { $0 != "undef" }
            return QuestionnaireItem(text: row[0].replacingOccurrences(of: "\\n", with: "\n"), options: Array(options))
        }
    }

    /// `values.json` in key order, without `_comment`.
    static func valueKeys(_ root: String, _ rel: String) throws -> [ValueKey] {
        let path = (root as NSString).appendingPathComponent(rel)
        let parsed: JSONValue
        do { parsed = try OrderedJSON.parse(try readText(root, rel)) } catch let e as StickError {
            throw e.located(file: path)
        }
        guard case .object(let object) = parsed else { throw StickError("expected a JSON object", file: path) }
        return try object.pairs.filter { $0.0 != "_comment" }.map { (name, value) in
            guard case .array(let items) = value else { throw StickError("'\(name)' is not a list", file: path) }
            return ValueKey(name: name, items: try items.map {
                guard let i = $0.intValue else { throw StickError("'\(name)' holds a non-integer", file: path) }
                return i
            })
        }
    }

    static func read(root: String, sourceName: String) throws -> (DatasetManifest, [String: [Opener]], Data?) {
        let population = Population(id: "real_world_people", personas: try readPersonas(root, markerPath))
        var interlocutorSets: [InterlocutorSet] = []
        for k in 0..<10 {
            let rel = "interlocutors/real_world_people/chunk_\(k)/interlocutors.json"
            guard exists(root, rel) else { continue }
            interlocutorSets.append(InterlocutorSet(id: "real_world_people/chunk_\(k)", population: population.id,
                                                    personas: try readPersonas(root, rel)))
        }

        let pvqValues = try valueKeys(root, "data/data_pvq/raw/values.json")
        let male = try questionnaire(root, "data/data_pvq/test/pvq_male_test.csv")
        let female = try questionnaire(root, "data/data_pvq/test/pvq_female_test.csv")
        let pvq = Instrument(
            id: "pvq40", name: "Portrait Values Questionnaire (PVQ-40), Schwartz", procedure: .independent,
            instructions: ReferenceProtocolText.pvqInstructions, optionScores: Array(1...6), values: pvqValues,
            variants: ["M": male, "F": female])

        let svsItems = try questionnaire(root, "data/data_svs/test/svs_test.csv")
        let svsValues = try valueKeys(root, "data/data_svs/raw/values.json")
        let description = pythonRStrip(try readText(root, "data/data_svs/raw/description.txt"))
        let lists = try [1, 2].map { n -> [String] in
            let rel = "data/data_svs/raw/values_list_\(n).json"
            struct List: Decodable { var values: [String] }
            do { return try JSONDecoder().decode(List.self, from: Data(try readText(root, rel).utf8)).values } catch let e as StickError {
                throw e
            } catch {
                throw StickError(describeDecodingError(error), file: (root as NSString).appendingPathComponent(rel))
            }
        }
        // The reference asserts the two lists equal the CSV's first column, split after list I.
        let texts = svsItems.map(\.text)
        guard lists[0] + lists[1] == texts else {
            throw StickError("values_list_1.json + values_list_2.json do not equal the SVS CSV's value column",
                             file: (root as NSString).appendingPathComponent("data/data_svs/test/svs_test.csv"))
        }
        let n1 = lists[0].count
        let svsSpec = SVSProcedureSpec(
            groups: [
                SVSGroup(name: "List I", items: Array(1...n1), description: ReferenceProtocolText.svsGroup1Description,
                         prefixMost: ReferenceProtocolText.svsPrefixMost1, prefixLeast: ReferenceProtocolText.svsPrefixLeast1),
                SVSGroup(name: "List II", items: Array((n1 + 1)...texts.count),
                         description: ReferenceProtocolText.svsGroup2Description,
                         prefixMost: ReferenceProtocolText.svsPrefixMost2, prefixLeast: ReferenceProtocolText.svsPrefixLeast2),
            ],
            restInstruction: ReferenceProtocolText.svsRestInstruction,
            chosenPrefix: ReferenceProtocolText.svsChosenPrefix, chosenSuffix: ReferenceProtocolText.svsChosenSuffix)
        let svs = Instrument(
            id: "svs57", name: "Schwartz Value Survey (SVS-57)", procedure: .svs, instructions: description,
            optionScores: Array(-1...7), values: svsValues, variants: ["*": svsItems], svs: svsSpec)

        var openerSets: [OpenerSetInfo] = []
        var openers: [String: [Opener]] = [:]
        struct RedditLine: Decodable { var content: String; var subreddit: String?; var n_tokens: Int? }
        for k in 0..<10 {
            let rel = "contexts/leaderboard_reddit_chunks/chunk_\(k).jsonl"
            let path = (root as NSString).appendingPathComponent(rel)
            guard exists(root, rel) else { continue }
            let lines = LineReader(try ConfinedFile.open(root: root, relative: rel), name: path)
            defer { lines.close() }
            var records: [Opener] = []
            while let raw = try lines.next() {
                if raw.isEmpty { continue }
                do {
                    let r = try JSONDecoder().decode(RedditLine.self, from: Data(raw))
                    records.append(Opener(text: r.content, source: r.subreddit, nTokens: r.n_tokens))
                } catch {
                    throw StickError(describeDecodingError(error), file: path, line: lines.lineNumber)
                }
            }
            let id = "leaderboard_reddit_chunk_\(k)"
            openers[id] = records
            openerSets.append(OpenerSetInfo(id: id, file: "", count: records.count, sha256: "",
                description: "Reddit posts from Webis-TLDR-17 (CC BY 4.0), \(rel) of the reference; line i opens persona i's conversation"))
        }

        let manifest = DatasetManifest(
            name: "value_stability",
            synthetic: false,
            description: "Stick to Your Role! leaderboard data: PVQ-40 (gendered), SVS-57, 50 real-world personas, interlocutor sets and Reddit conversation openers.",
            source: "flowersteam/value_stability (imported from \(sourceName))",
            license: "MIT, Copyright (c) 2021 Grgur Kovač (see LICENSE.reference); Reddit posts: Webis-TLDR-17, CC BY 4.0",
            attribution: [
                "Kovač et al., Stick to Your Role! Stability of Personal Values Expressed in Large Language Models, arXiv:2402.14846",
                "Völske, Potthast, Syed, Stein (2017). TL;DR: Mining Reddit to Learn Automatic Summarization. Workshop on New Frontiers in Summarization (W17-4508). Webis-TLDR-17, CC BY 4.0",
                "PVQ-40 and SVS: Schwartz's value instruments",
            ],
            defaultDesign: "leaderboard",
            instruments: [pvq, svs], populations: [population], interlocutorSets: interlocutorSets,
            openerSets: openerSets)
        let license = exists(root, "LICENSE") ? try ConfinedFile.read(root: root, relative: "LICENSE") : nil
        return (manifest, openers, license)
    }
}

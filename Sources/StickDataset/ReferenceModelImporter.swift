// The reference's leaderboard model configs (`models/leaderboard_configs/*.json`) as our model configs:
// which client class sent what (StickQuery/README.md §4), the Hugging Face model recovered from the cluster path,
// and the `vllm serve` line of the reference's run scripts. Configs the reference itself cannot run are
// converted too, with a comment saying what the reference does with them.
import Foundation
import StickArtifacts

/// One reference config, as its JSON spells it.
public struct ReferenceModelFile: Decodable, Sendable {
    public struct GenerationArgs: Decodable, Sendable {
        public var maxTokens: Int?
        public var maxGenerationTokens: Int?
        public var n: Int?
        public var temperature: Double?

        enum CodingKeys: String, CodingKey {
            case n, temperature
            case maxTokens = "max_tokens"
            case maxGenerationTokens = "max_generation_tokens"
        }
    }

    public var modelClass: String
    public var modelID: String
    public var modelPath: String?
    public var systemMessage: Bool?
    public var baseModelTemplate: Bool?
    public var cot: Bool?
    public var comment: String?
    public var generationArgs: GenerationArgs

    enum CodingKeys: String, CodingKey {
        case cot
        case modelClass = "model_class"
        case modelID = "model_id"
        case modelPath = "model_path"
        case systemMessage = "system_message"
        case baseModelTemplate = "base_model_template"
        case comment = "_comment"
        case generationArgs = "generation_args"
    }
}

/// How the reference started a model's vLLM server (the family flags of its run scripts).
public enum VLLMServerFamily: String, Sendable, CaseIterable {
    /// `run_vllm_model_leaderboard.sh`: the common flags only.
    case standard
    /// `run_vllm_model_leaderboard_qwen3.sh`: a reasoning parser and attention temperature tuning.
    case qwen3
    /// `run_stability_leaderboard_vllm_mistral.sh`: Mistral's tokenizer, config and weight formats, 40,000 tokens.
    case mistral
    /// Llama-4: attention temperature tuning.
    case llama4

    /// The `vllm serve` line; the tensor parallelism comes from $TENSOR_PARALLEL_SIZE (the reference's 4
    /// by default), so one line serves on any number of GPUs.
    public func serveCommand(model: String, revision: String?, servedName: String) -> String {
        var words = ["vllm", "serve", model]
        if let revision { words += ["--revision", revision] }
        words += ["--served-model-name", servedName, "--max-model-len", self == .mistral ? "40000" : "30000",
                  "--tensor-parallel-size", "${TENSOR_PARALLEL_SIZE:-4}", "--gpu-memory-utilization", "0.90",
                  "--trust-remote-code", "--dtype", "auto", "--enable-prefix-caching"]
        switch self {
        case .standard: break
        case .qwen3: words += ["--enable-reasoning", "--reasoning-parser", "deepseek_r1", Self.attentionTemperatureTuning]
        case .mistral: words += ["--tokenizer-mode", "mistral", "--config-format", "mistral", "--load-format", "mistral"]
        case .llama4: words.append(Self.attentionTemperatureTuning)
        }
        return words.joined(separator: " ")
    }

    static let attentionTemperatureTuning = #"--override-generation-config='{"attn_temperature_tuning": true}'"#
}

/// One converted config: our config, its YAML file, and what the conversion had to say about it.
public struct ImportedModel: Sendable {
    public var config: ModelConfig
    public var referenceClass: String
    /// `ORG/NAME` from the cluster path's `models--ORG--NAME/snapshots/REVISION`; nil for API models.
    public var huggingFaceID: String?
    public var revision: String?
    public var family: VLLMServerFamily?
    /// Why the config differs from what the reference runs, or why the reference cannot run it.
    public var notes: [String]
    /// The file `stick data import-models` writes.
    public var yaml: String
}

public enum ReferenceModelImporter {
    /// Where the reference's client talks to its vLLM server (StickQuery/README.md §4: localhost:8000).
    public static let vllmEndpoint = "http://127.0.0.1:8000/v1"
    public static let deepSeekEndpoint = "https://api.deepseek.com"
    /// The environment variable the reference reads the DeepSeek key from.
    public static let deepSeekKeyVariable = "DS_API_KEY"
    /// A reference config is a few hundred bytes; anything much larger is not one.
    static let maxConfigBytes = 1 << 20

    /// Converts every `*.json` of `directory` and writes `<name>.yaml` files to `output`, atomically (a
    /// staging directory beside it, renamed into place). Only regular files are read: a link or a device
    /// named `*.json` is an error. `output` may be absent or empty; an earlier import (only `.yaml` files)
    /// is replaced with `overwrite`; anything else is never replaced.
    @discardableResult
    public static func importDirectory(_ directory: String, to output: String, overwrite: Bool = false) throws -> [ImportedModel] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StickError("not a directory of reference model configs", file: directory)
        }
        let names = try fm.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        guard !names.isEmpty else { throw StickError("holds no *.json model configs", file: directory) }
        let models = try names.map { name in
            let data = try ConfinedFile.read(root: directory, relative: name, limit: maxConfigBytes)
            return try convert(data, fileName: (directory as NSString).appendingPathComponent(name))
        }
        try checkOutput(output, overwrite: overwrite)
        let parent = (output as NSString).deletingLastPathComponent.isEmpty ? "." : (output as NSString).deletingLastPathComponent
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        StagingDirectory.removeAbandoned(in: parent, purpose: "models")
        let scratch = try StagingDirectory(in: parent, purpose: "models")
        defer { scratch.remove() }
        let staging = scratch.file("models")
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        for m in models {
            try Data(m.yaml.utf8).write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent(m.config.name + ".yaml")))
        }
        var st = stat()
        if lstat(output, &st) == 0 { try fm.moveItem(atPath: output, toPath: scratch.file("replaced")) }
        try fm.moveItem(atPath: staging, toPath: output)
        return models
    }

    /// Refuses to replace a link, a file, a directory holding anything but `.yaml` files, or (without
    /// `overwrite`) an earlier import.
    static func checkOutput(_ output: String, overwrite: Bool) throws {
        var st = stat()
        guard lstat(output, &st) == 0 else { return }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            throw StickError("the output exists and is not a directory; not replacing it (choose another -o)", file: output)
        }
        let contents = try FileManager.default.contentsOfDirectory(atPath: output)
        if contents.isEmpty { return }
        let foreign = contents.filter { name in
            var s = stat()
            return !name.hasSuffix(".yaml")
                || lstat((output as NSString).appendingPathComponent(name), &s) != 0 || s.st_mode & S_IFMT != S_IFREG
        }
        guard foreign.isEmpty else {
            throw StickError("the output directory holds other things than model configs (\(foreign.sorted().prefix(3).joined(separator: ", ")));"
                + " not replacing it (choose another -o, or remove it yourself)", file: output)
        }
        guard overwrite else { throw StickError("the output directory holds model configs; use --force to replace them", file: output) }
    }

    /// Converts one reference config; `fileName` names it (its stem is the model's name) in errors.
    public static func convert(_ data: Data, fileName: String) throws -> ImportedModel {
        let stem = ((fileName as NSString).lastPathComponent as NSString).deletingPathExtension
        // The name becomes a file name, a pipeline item and a directory of runs: keep it plain.
        guard !stem.isEmpty, !stem.hasPrefix("."),
              stem.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) })
        else { throw StickError("the file name must be letters, digits, '.', '_' or '-' (it names the model)", file: fileName) }
        let file: ReferenceModelFile
        do { file = try JSONDecoder().decode(ReferenceModelFile.self, from: data) } catch {
            throw StickError("not a reference model config: \(describeDecodingError(error))", file: fileName)
        }
        try checkUnknownKeys(data, fileName: fileName)
        if file.baseModelTemplate == true {
            throw StickError("base_model_template: true is not supported (no leaderboard config uses it)", file: fileName)
        }
        let args = file.generationArgs
        guard let temperature = args.temperature, temperature >= 0 else {
            throw StickError("generation_args.temperature is missing or negative", file: fileName)
        }
        var notes: [String] = []
        var config = ModelConfig(name: stem, backend: .openai, endpoints: [vllmEndpoint], model: file.modelID,
                                 systemMessage: file.systemMessage ?? true)
        let reasoningClass: ModelConfig.Reasoning?
        let vllm: Bool
        switch file.modelClass {
        case "VllmModel", "DeepSeekModel":
            reasoningClass = nil
            vllm = file.modelClass == "VllmModel"
        case "Qwen3ReasoningVllmModel", "QwQReasoningVllmModel":
            reasoningClass = .reasoningContent
            vllm = true
        case "RekaReasoningVllmModel":
            reasoningClass = .reka
            vllm = true
        case "NemotronVllmModel":
            reasoningClass = nil
            vllm = true
            notes.append("The reference cannot run this config: NemotronVllmModel raises DeprecationWarning in __init__ "
                + "(StickQuery/README.md §4). Converted as the plain VllmModel client with the config's settings; its "
                + "`reasoning: false` (Nemotron's detailed-thinking switch) has no equivalent here.")
        case "ReasoningDeepSeekModel":
            reasoningClass = .reasoningContent
            vllm = false
            notes.append("The reference cannot run this config: ReasoningDeepSeekModel is commented out and not importable "
                + "(StickQuery/README.md §4; how the published DeepSeek-R1 results were made is unknown). Converted as a reasoning "
                + "client of the DeepSeek API, whose reasoner returns reasoning_content.")
        default:
            throw StickError("model_class '\(file.modelClass)' is not a leaderboard client class (VllmModel, DeepSeekModel, "
                + "Qwen3/QwQ/RekaReasoningVllmModel, NemotronVllmModel, ReasoningDeepSeekModel)", file: fileName)
        }
        if let reasoning = reasoningClass {
            // The reasoning classes send their own lengths and the non-CoT suffix, whatever the config says.
            config.reasoning = reasoning
            config.cot = false
            config.conversation = GenerationParameters(temperature: temperature, maxTokens: 2000, n: args.n)
            config.answers = ModelConfig.referenceAnswers(cot: false, reasoning: reasoning)
            if let sent = args.maxGenerationTokens ?? args.maxTokens {
                notes.append("generation_args asks for \(sent) tokens, but \(file.modelClass) sends max_tokens 2000 and crops the "
                    + "reply after the reasoning to 400 characters (40 for answers); it uses the non-CoT suffix"
                    + (file.cot == true ? " (the config's `cot: true` is not read by this class)." : "."))
            }
        } else {
            guard let maxTokens = args.maxTokens else {
                throw StickError("generation_args.max_tokens is missing (\(file.modelClass) sends it with every turn)", file: fileName)
            }
            if let cot = file.cot {
                config.cot = cot
            } else {
                config.cot = false
                notes.append("The reference cannot run this config: it has no `cot`, which VllmModel requires (a TypeError, "
                    + "StickQuery/README.md §4). Converted without chain of thought, as the reference's non-CoT configs ran; set "
                    + "`cot: true` (and answers max_tokens 2000) to ask it like the other leaderboard models.")
            }
            config.conversation = GenerationParameters(temperature: temperature, maxTokens: maxTokens, n: args.n)
            config.answers = ModelConfig.referenceAnswers(cot: config.cot, reasoning: .none)
        }
        var huggingFaceID: String?, revision: String?, family: VLLMServerFamily?
        if vllm {
            guard let path = file.modelPath else { throw StickError("model_path is missing (\(file.modelClass) serves a local model)", file: fileName) }
            guard let (id, rev) = huggingFaceModel(fromCachePath: path) else {
                throw StickError("model_path '\(path)' is not a Hugging Face cache path (…/models--ORG--NAME/snapshots/REVISION)", file: fileName)
            }
            huggingFaceID = id
            revision = rev
            let script = file.comment ?? ""
            family = script.contains("_qwen3.sh") ? .qwen3 : script.contains("_mistral.sh") ? .mistral
                : id.split(separator: "/").last?.hasPrefix("Llama-4") == true ? .llama4 : .standard
            config.serve = family!.serveCommand(model: id, revision: rev, servedName: file.modelID)
        } else {
            config.endpoints = [deepSeekEndpoint]
            config.apiKeyEnv = deepSeekKeyVariable
            if let comment = file.comment { notes.append("The reference notes: \(comment).") }
        }
        let model = ImportedModel(config: config, referenceClass: file.modelClass, huggingFaceID: huggingFaceID,
                                  revision: revision, family: family, notes: notes, yaml: "")
        return try withYAML(model, source: (fileName as NSString).lastPathComponent, sourceSHA256: SHA256Hex.of(data))
    }

    /// `…/models--ORG--NAME/snapshots/REVISION[/]` → (`ORG/NAME`, REVISION): the layout of the Hugging
    /// Face cache, where `/` in a repository id is written `--`.
    public static func huggingFaceModel(fromCachePath path: String) -> (id: String, revision: String)? {
        let parts = path.split(separator: "/").map(String.init)
        guard let s = parts.lastIndex(of: "snapshots"), s >= 1, s + 1 < parts.count, s + 2 == parts.count else { return nil }
        let repo = parts[s - 1]
        guard repo.hasPrefix("models--") else { return nil }
        let segments = repo.dropFirst("models--".count).components(separatedBy: "--")
        guard segments.count >= 2, segments.allSatisfy({ !$0.isEmpty }) else { return nil }
        let revision = parts[s + 1]
        guard revision.allSatisfy({ $0.isHexDigit }), !revision.isEmpty else { return nil }
        return (segments[0] + "/" + segments.dropFirst().joined(separator: "--"), revision)
    }

    /// Fields the conversion does not understand are refused rather than dropped: they could change
    /// what the reference sends.
    static func checkUnknownKeys(_ data: Data, fileName: String) throws {
        let known: Set<String> = ["_comment", "model_path", "model_class", "model_id", "system_message", "base_model_template",
                                  "cot", "reasoning", "load_args", "generation_args"]
        let knownArgs: Set<String> = ["max_tokens", "max_generation_tokens", "n", "temperature"]
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw StickError("not a JSON object", file: fileName)
        }
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw StickError("unknown field '\(unknown)'", file: fileName)
        }
        if let args = object["generation_args"] as? [String: Any], let unknown = args.keys.sorted().first(where: { !knownArgs.contains($0) }) {
            throw StickError("generation_args.\(unknown) is not supported", file: fileName)
        }
        if let load = object["load_args"] as? [String: Any], !load.isEmpty {
            throw StickError("load_args are not supported (every leaderboard config has none)", file: fileName)
        }
    }

    static func withYAML(_ model: ImportedModel, source: String, sourceSHA256: String) throws -> ImportedModel {
        let c = model.config
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
        func parameters(_ p: GenerationParameters) -> String {
            "{temperature: \(number(p.temperature)), max_tokens: \(p.maxTokens)" + (p.n.map { ", n: \($0)" } ?? "") + "}"
        }
        func quoted(_ s: String) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            return String(decoding: try encoder.encode(s), as: UTF8.self)  // a JSON string is a YAML double-quoted scalar
        }
        func comment(_ text: String) -> [String] {
            var lines: [String] = [], line = "#"
            for word in text.split(separator: " ") {
                if line.count + word.count + 1 > 110, line != "#" { lines.append(line); line = "#" }
                line += " " + word
            }
            return lines + [line]
        }
        var lines = comment("\(c.name) of the Stick to Your Role! leaderboard: the reference's \(source) (\(model.referenceClass), "
            + "sha256 \(sourceSHA256.prefix(16))…), converted by `stick data import-models`.")
        if c.serve != nil {
            lines += comment("Start its server with the `serve` line (on $TENSOR_PARALLEL_SIZE GPUs, the reference's 4 by default), "
                + "then query with this config.")
        } else {
            lines += comment("Served by the DeepSeek API: the key is read from $\(c.apiKeyEnv ?? "") and never written.")
        }
        for note in model.notes { lines += comment("NOTE: " + note) }
        lines += ["stick: model", "version: 1", "name: \(try quoted(c.name))", "backend: \(c.backend.rawValue)",
                  "endpoints: [\(try (c.endpoints ?? []).map(quoted).joined(separator: ", "))]", "model: \(try quoted(c.model))"]
        if let key = c.apiKeyEnv { lines.append("api_key_env: \(key)") }
        lines += ["system_message: \(c.systemMessage)", "cot: \(c.cot)", "reasoning: \(c.reasoning.rawValue)",
                  "conversation: \(parameters(c.conversation))", "answers: \(parameters(c.answers))"]
        if let serve = c.serve { lines.append("serve: \(try quoted(serve))") }
        var result = model
        result.yaml = lines.joined(separator: "\n") + "\n"
        // What is written must read back as exactly this config.
        guard try ModelConfig.parse(Data(result.yaml.utf8), file: c.name + ".yaml") == c else {
            throw StickError("internal error: the YAML written for \(c.name) does not read back as its config")
        }
        return result
    }
}

// The leaderboard's 49 models as model configs (pipelines/models/leaderboard/): the committed zoo
// against a table written from the reference's JSON configs and protocol.md §7 (client class, system
// role, chain of thought, reasoning split, parameters, model and server), the importer against the
// reference configs themselves, model-config defaults, and reasoning models end to end against the
// fake server in both of its reasoning modes.
import Foundation
import StickArtifacts
import StickDataset
import StickParse
import StickPipeline
import StickQuery
import StickTestSupport
import Testing

/// What the reference's config of one leaderboard model makes its client send (protocol.md §7).
struct ZooRow: Sendable, CustomTestStringConvertible {
    var name: String
    var referenceClass: String
    var systemMessage: Bool
    var cot: Bool
    var reasoning: ModelConfig.Reasoning
    var temperature: Double
    var conversationMaxTokens: Int
    var answersMaxTokens: Int
    /// The Hugging Face model (vLLM) or the API's model name (DeepSeek).
    var model: String
    var revision: String?
    /// The run script's family: standard, qwen3, mistral, llama4, or api (no server of ours).
    var server: String
    /// The reference itself cannot run the config.
    var referenceCannotRun: Bool
    var testDescription: String { name }

    init(_ name: String, _ referenceClass: String, _ systemMessage: Bool, _ cot: Bool, _ reasoning: ModelConfig.Reasoning,
         _ temperature: Double, _ conversationMaxTokens: Int, _ answersMaxTokens: Int, _ model: String, _ revision: String?,
         _ server: Server, _ referenceCannotRun: Bool) {
        (self.name, self.referenceClass, self.systemMessage, self.cot, self.reasoning) = (name, referenceClass, systemMessage, cot, reasoning)
        (self.temperature, self.conversationMaxTokens, self.answersMaxTokens) = (temperature, conversationMaxTokens, answersMaxTokens)
        (self.model, self.revision, self.server, self.referenceCannotRun) = (model, revision, server.rawValue, referenceCannotRun)
    }

    enum Server: String { case standard, qwen3, mistral, llama4, api }
}

let zooTable: [ZooRow] = [
    ZooRow("Cydonia-22B-v1.2", "VllmModel", true, true, .none, 0.7, 100, 2000, "TheDrummer/Cydonia-22B-v1.2", "c66965b3253b755d5082efcea6e53bd553a5e9fa", .standard, false),
    ZooRow("DeepSeek-R1", "ReasoningDeepSeekModel", true, false, .reasoningContent, 0.7, 2000, 2000, "deepseek-reasoner", nil, .api, true),
    ZooRow("DeepSeek-V3-0324", "DeepSeekModel", true, true, .none, 0.7, 100, 2000, "deepseek-chat", nil, .api, false),
    ZooRow("DeepSeek-V3-0324_user", "DeepSeekModel", false, true, .none, 0.7, 100, 2000, "deepseek-chat", nil, .api, false),
    ZooRow("Dracarys2-72B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "abacusai/Dracarys2-72B-Instruct", "298cb0749098e58e7b67564376c195752e15d0a4", .standard, false),
    ZooRow("GLM-4-32B-0414", "VllmModel", true, true, .none, 0.7, 100, 2000, "THUDM/GLM-4-32B-0414", "077b5c2f5c43bd3239fd605a0600229e8facbd4a", .standard, false),
    ZooRow("Llama-2-13b-chat", "VllmModel", true, true, .none, 0.7, 100, 2000, "meta-llama/Llama-2-13b-chat-hf", "a2cb7a712bb6e5e736ca7f8cd98167f81a0b5bd8", .standard, false),
    ZooRow("Llama-2-70b-chat", "VllmModel", true, true, .none, 0.7, 100, 2000, "meta-llama/Llama-2-70b-chat-hf", "e9149a12809580e8602995856f8098ce973d1080", .standard, false),
    ZooRow("Llama-3.1-70B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "meta-llama/Llama-3.1-70B-Instruct", "1605565b47bb9346c5515c34102e054115b4f98b", .standard, false),
    ZooRow("Llama-3.1-8B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "meta-llama/Llama-3.1-8B-Instruct", "0e9e39f249a16976918f6564b8830bc894c89659", .standard, false),
    ZooRow("Llama-3.1-Nemotron-70B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "nvidia/Llama-3.1-Nemotron-70B-Instruct-HF", "fac73d3507320ec1258620423469b4b38f88df6e", .standard, false),
    ZooRow("Llama-3.1-Nemotron-Nano-8B-v1", "NemotronVllmModel", true, true, .none, 0.7, 100, 2000, "nvidia/Llama-3.1-Nemotron-Nano-8B-v1", "42f62a403ee352e019834442673256e3fe3de275", .standard, true),
    ZooRow("Llama-3.2-1B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "meta-llama/Llama-3.2-1B-Instruct", "9213176726f574b556790deb65791e0c5aa438b6", .standard, false),
    ZooRow("Llama-3.2-1B-Instruct_test", "VllmModel", true, true, .none, 0.7, 100, 2000, "meta-llama/Llama-3.2-1B-Instruct", "9213176726f574b556790deb65791e0c5aa438b6", .standard, false),
    ZooRow("Llama-3.2-3B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "meta-llama/Llama-3.2-3B-Instruct", "0cb88a4f764b7a12671c53f0838cd831a0843b95", .standard, false),
    ZooRow("Llama-3.3-70B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "meta-llama/Llama-3.3-70B-Instruct", "6f6073b423013f6a7d4d9f39144961bfbfbc386b", .standard, false),
    ZooRow("Llama-3_3-Nemotron-Super-49B-v1", "VllmModel", true, false, .none, 0.7, 100, 10, "nvidia/Llama-3_3-Nemotron-Super-49B-v1", "1a2cb800fde0e2c100cf576215d7be3a5bffe717", .standard, true),
    ZooRow("Llama-4-Scout-17B-16E-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "meta-llama/Llama-4-Scout-17B-16E-Instruct", "4bd10c4dc905b4000d76640d07a552344146faec", .llama4, false),
    ZooRow("Ministrations-8B-v1", "VllmModel", true, true, .none, 0.7, 100, 2000, "TheDrummer/Ministrations-8B-v1", "39b892de64401ec7990ebb816c4455ba4532bafb", .standard, false),
    ZooRow("Mistral-7B-Instruct-v0.2", "VllmModel", true, true, .none, 0.7, 100, 2000, "mistralai/Mistral-7B-Instruct-v0.2", "3ad372fc79158a2148299e3318516c786aeded6c", .standard, false),
    ZooRow("Mistral-Large-Instruct-2407", "VllmModel", true, true, .none, 0.7, 100, 2000, "mistralai/Mistral-Large-Instruct-2407", "c6a230e7b1070914dd28bd6bc3b9c7c3d9e612ae", .standard, false),
    ZooRow("Mistral-Large-Instruct-2411", "VllmModel", true, true, .none, 0.7, 100, 2000, "mistralai/Mistral-Large-Instruct-2411", "3a5cb136f6106edf5c1210369068eb5a4f787cab", .standard, false),
    ZooRow("Mistral-Nemo-Instruct-2407", "VllmModel", true, true, .none, 0.7, 100, 2000, "mistralai/Mistral-Nemo-Instruct-2407", "8aedd450f2583e9c67fae1929f6936b8fc5aef9c", .standard, false),
    ZooRow("Mistral-Small-3.1-24B-Instruct-2503", "VllmModel", true, true, .none, 0.7, 100, 2000, "mistralai/Mistral-Small-3.1-24B-Instruct-2503", "a0392e7ed23c50afffb58912e248e8acef3f83d7", .mistral, false),
    ZooRow("Mixtral-8x7B-Instruct-v0.1", "VllmModel", true, true, .none, 0.7, 100, 2000, "mistralai/Mixtral-8x7B-Instruct-v0.1", "41bd4c9e7e4fb318ca40e721131d4933966c2cc1", .standard, false),
    ZooRow("Nautilus-70B-v0.1", "VllmModel", true, true, .none, 0.7, 100, 2000, "TheDrummer/Nautilus-70B-v0.1", "8d4dc7f0f30f6e585dcda36235aeee87814f7668", .standard, false),
    ZooRow("QwQ-32B", "QwQReasoningVllmModel", true, false, .reasoningContent, 0.7, 2000, 2000, "Qwen/QwQ-32B", "976055f8c83f394f35dbd3ab09a285a984907bd0", .standard, false),
    ZooRow("Qwen-14B-Chat", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen-14B-Chat", "cdaff792392504e679496a9f386acf3c1e4333a5", .standard, false),
    ZooRow("Qwen-72B-Chat", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen-72B-Chat", "307fccc1a45211b087ab294a8d291f7632259322", .standard, false),
    ZooRow("Qwen2.5-14B-Instruct-1M", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen2.5-14B-Instruct-1M", "620fad32de7bdd2293b3d99b39eba2fe63e97438", .standard, false),
    ZooRow("Qwen2.5-32B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen2.5-32B-Instruct", "5ede1c97bbab6ce5cda5812749b4c0bdf79b18dd", .standard, false),
    ZooRow("Qwen2.5-72B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen2.5-72B-Instruct", "495f39366efef23836d0cfae4fbe635880d2be31", .standard, false),
    ZooRow("Qwen2.5-Omni-7B", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen2.5-Omni-7B", "67f8902bf7d4b95afb663e736885b3f0794e5962", .standard, false),
    ZooRow("Qwen2.5-VL-32B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen2.5-VL-32B-Instruct", "7cfb30d71a1f4f49a57592323337a4a4727301da", .standard, false),
    ZooRow("Qwen2.5-VL-3B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen2.5-VL-3B-Instruct", "c747f21f03e7d0792c30766310bd7d8de17eeeb3", .standard, false),
    ZooRow("Qwen2.5-VL-72B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen2.5-VL-72B-Instruct", "cd3b627433ac68e782b69d5f829355b3f34fb7f2", .standard, false),
    ZooRow("Qwen2.5-VL-7B-Instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "Qwen/Qwen2.5-VL-7B-Instruct", "5b5eecc7efc2c3e86839993f2689bbbdf06bd8d4", .standard, false),
    ZooRow("Qwen3-235B-A22B-FP8", "Qwen3ReasoningVllmModel", true, false, .reasoningContent, 0.7, 2000, 2000, "Qwen/Qwen3-235B-A22B-FP8", "bae6646ab86923752d1ae45a4bd660794daeafab", .qwen3, false),
    ZooRow("Qwen3-235B-A22B", "Qwen3ReasoningVllmModel", true, false, .reasoningContent, 0.7, 2000, 2000, "Qwen/Qwen3-235B-A22B", "b51c4308ed84804fa6722b20722cd91e3cd17808", .qwen3, false),
    ZooRow("Qwen3-32B-A3B", "Qwen3ReasoningVllmModel", true, false, .reasoningContent, 0.7, 2000, 2000, "Qwen/Qwen3-30B-A3B", "4c446470ba0aec43e22ac1128f9ffd915f338ba3", .qwen3, false),
    ZooRow("Qwen3-32B", "Qwen3ReasoningVllmModel", true, false, .reasoningContent, 0.7, 2000, 2000, "Qwen/Qwen3-32B", "30b8421510892303dc5ddd6cd0ac90ca2053478d", .qwen3, false),
    ZooRow("Qwen3-4B", "Qwen3ReasoningVllmModel", true, false, .reasoningContent, 0.7, 2000, 2000, "Qwen/Qwen3-4B", "82d62bb073771e7a1ea59435f548908540217d1f", .qwen3, false),
    ZooRow("Qwen3-8B", "Qwen3ReasoningVllmModel", true, false, .reasoningContent, 0.7, 2000, 2000, "Qwen/Qwen3-8B", "2069b3fae1114555f3c020c81410e51fa0f656f2", .qwen3, false),
    ZooRow("WizardLM-2-8x22B", "VllmModel", true, true, .none, 0.7, 100, 2000, "alpindale/WizardLM-2-8x22B", "661fa9dcdb48da87a59da37a97df289ee6f5dd50", .standard, false),
    ZooRow("gemma-3-27b-it", "VllmModel", true, true, .none, 0.7, 100, 2000, "google/gemma-3-27b-it", "005ad3404e59d6023443cb575daa05336842228a", .standard, false),
    ZooRow("phi-3-medium-128k-instruct", "VllmModel", true, true, .none, 0.7, 100, 2000, "microsoft/Phi-3-medium-128k-instruct", "fa7d2aa4f5ea69b2e36b20d050cdae79c9bfbb3f", .standard, false),
    ZooRow("phi-4", "VllmModel", true, true, .none, 0.7, 100, 2000, "microsoft/phi-4", "187ef0342fff0eb3333be9f00389385e95ef0b61", .standard, false),
    ZooRow("reka-flash-3", "RekaReasoningVllmModel", true, false, .reka, 0.7, 2000, 2000, "RekaAI/reka-flash-3", "8d251ecb02eca9f0f4aa052b29ef922628d2806f", .standard, false),
    ZooRow("shuttle-3.5", "Qwen3ReasoningVllmModel", true, false, .reasoningContent, 0.7, 2000, 2000, "shuttleai/shuttle-3.5", "a041e465328c0f507fa6323f3c06b797aa53765b", .qwen3, false),
]

let zooDirectory = TestPaths.packageRoot.appendingPathComponent("pipelines/models/leaderboard").path

/// A zoo config pointed at `endpoint` (a test server) instead of the reference's.
func zooConfig(_ name: String, endpoint: String) throws -> ModelConfig {
    var config = try ModelConfig.load(zooDirectory + "/\(name).yaml").config
    config.endpoints = [endpoint]
    config.retry = RetryPolicy(maxAttempts: 4, initialDelay: 0.01, maxDelay: 0.1)
    return config
}

@Suite struct ModelZooTests {
    static let commonServeFlags = "--max-model-len 30000 --tensor-parallel-size ${TENSOR_PARALLEL_SIZE:-4} "
        + "--gpu-memory-utilization 0.90 --trust-remote-code --dtype auto --enable-prefix-caching"

    @Test func theZooHoldsTheFortyNineLeaderboardModels() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: zooDirectory).sorted()
        #expect(files == zooTable.map { $0.name + ".yaml" }.sorted())
        #expect(files.count == 49)
    }

    @Test(arguments: zooTable) func zooConfigSendsWhatTheReferenceClientSends(row: ZooRow) throws {
        let path = zooDirectory + "/\(row.name).yaml"
        let c = try ModelConfig.load(path).config
        #expect(c.name == row.name && c.backend == .openai)
        #expect(c.systemMessage == row.systemMessage && c.cot == row.cot && c.reasoning == row.reasoning)
        #expect(c.conversation == GenerationParameters(temperature: row.temperature, maxTokens: row.conversationMaxTokens, n: 1))
        #expect(c.answers == GenerationParameters(temperature: 0, maxTokens: row.answersMaxTokens))
        if row.server == "api" {
            #expect(c.model == row.model && c.endpoints == ["https://api.deepseek.com"] && c.apiKeyEnv == "DS_API_KEY")
            #expect(c.serve == nil)
        } else {
            #expect(c.model == "model" && c.endpoints == ["http://127.0.0.1:8000/v1"] && c.apiKeyEnv == nil)
            #expect(c.serve?.hasPrefix("vllm serve \(row.model) --revision \(row.revision!) --served-model-name model ") == true)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("# NOTE: The reference cannot run this config") == row.referenceCannotRun)
        #expect(!text.contains("sk-") && !text.lowercased().contains("api_key:"), "no secret is ever written")
        // The config as JSON satisfies the model schema.
        let json = try OrderedJSON.parse(String(decoding: try JSONEncoder().encode(c), as: UTF8.self))
        #expect(try SchemaValidator.embedded("model.schema.json").validate(json).isEmpty)
    }

    /// protocol.md §7: one command for every local model, plus its run script's family flags.
    @Test(arguments: zooTable.filter { $0.server != "api" }) func serveLineCarriesItsFamilyFlags(row: ZooRow) throws {
        let serve = try #require(try ModelConfig.load(zooDirectory + "/\(row.name).yaml").config.serve)
        let base = "vllm serve \(row.model) --revision \(row.revision!) --served-model-name model "
        let reasoningParser = " --enable-reasoning --reasoning-parser deepseek_r1"
        let attention = #" --override-generation-config='{"attn_temperature_tuning": true}'"#
        let mistral = " --tokenizer-mode mistral --config-format mistral --load-format mistral"
        let expected: String
        switch row.server {
        case "qwen3": expected = base + Self.commonServeFlags + reasoningParser + attention
        case "llama4": expected = base + Self.commonServeFlags + attention
        case "mistral": expected = base + Self.commonServeFlags.replacingOccurrences(of: "30000", with: "40000") + mistral
        default: expected = base + Self.commonServeFlags
        }
        #expect(serve == expected)
        // It runs as a shell command: the tensor parallelism is a variable with the reference's default.
        let echoed = try runShellCapturing("TENSOR_PARALLEL_SIZE=2; printf '%s\\n' " + serve.dropFirst("vllm serve ".count))
        #expect(echoed.contains("--tensor-parallel-size\n2\n"))
        if row.server == "qwen3" || row.server == "llama4" {
            #expect(echoed.contains("--override-generation-config={\"attn_temperature_tuning\": true}\n"))
        }
    }

    @Test func everyServerFamilyIsInTheZoo() {
        #expect(Set(zooTable.map(\.server)) == ["standard", "qwen3", "mistral", "llama4", "api"])
        #expect(zooTable.filter { $0.referenceCannotRun }.map(\.name).sorted()
            == ["DeepSeek-R1", "Llama-3.1-Nemotron-Nano-8B-v1", "Llama-3_3-Nemotron-Super-49B-v1"])
    }

    @Test(.enabled(if: TestPaths.referenceData != nil, "needs ../shared/reference (or STICK_REFERENCE_DATA)"))
    func importerWritesTheCommittedZooFromTheReferenceConfigs() throws {
        let source = TestPaths.referenceData! + "/models/leaderboard_configs"
        let scratch = try ScratchDirectory()
        let out = scratch.file("zoo")
        let models = try ReferenceModelImporter.importDirectory(source, to: out)
        #expect(models.count == 49)
        for row in zooTable {
            let ours = try Data(contentsOf: URL(fileURLWithPath: out + "/\(row.name).yaml"))
            let committed = try Data(contentsOf: URL(fileURLWithPath: zooDirectory + "/\(row.name).yaml"))
            #expect(ours == committed, "\(row.name): the committed zoo is not what the importer writes now")
            // The table against the reference JSON itself.
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: source + "/\(row.name).json")))
                as? [String: Any])
            let args = try #require(json["generation_args"] as? [String: Any])
            #expect(json["model_class"] as? String == row.referenceClass)
            #expect((json["system_message"] as? Bool ?? true) == row.systemMessage)
            #expect(args["temperature"] as? Double == row.temperature && args["n"] as? Int == 1)
            if let path = json["model_path"] as? String {
                let repo = "models--" + row.model.replacingOccurrences(of: "/", with: "--") + "/snapshots/" + row.revision!
                #expect(path.contains(repo), "\(path)")
            } else {
                #expect(json["model_id"] as? String == row.model)
            }
            if row.reasoning == .none {
                #expect(args["max_tokens"] as? Int == row.conversationMaxTokens)
                #expect(json["cot"] as? Bool ?? false == row.cot)
            } else {
                #expect(args["max_generation_tokens"] != nil, "reasoning classes spell it max_generation_tokens")
            }
        }
    }

    @Test func theCommandRefusesWhatItDidNotMakeAndNamesBadFiles() throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("configs")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        let good = #"{"model_class": "VllmModel", "model_id": "model", "system_message": true, "cot": true, "load_args": {}, "#
            + #""model_path": "/x/hub/models--org--Some-Model-7B/snapshots/0123abcd/", "generation_args": {"max_tokens": 100, "n": 1, "temperature": 0.7}}"#
        try good.write(toFile: source + "/Some-Model-7B.json", atomically: true, encoding: .utf8)
        try "not json".write(toFile: source + "/README.md", atomically: true, encoding: .utf8)
        let out = scratch.file("zoo")
        let first = try runTool("stick", ["data", "import-models", source, "-o", out])
        #expect(first.status == 0, "\(first.stderr)")
        let config = try ModelConfig.load(out + "/Some-Model-7B.yaml").config
        #expect(config.serve?.hasPrefix("vllm serve org/Some-Model-7B --revision 0123abcd ") == true && config.cot)
        #expect(treeEntries(out) == ["Some-Model-7B.yaml"])
        // An earlier import needs --force; a directory of other things is never replaced.
        let again = try runTool("stick", ["data", "import-models", source, "-o", out])
        #expect(again.status != 0 && again.stderr.contains("--force"))
        #expect(try runTool("stick", ["data", "import-models", source, "-o", out, "--force"]).status == 0)
        let other = scratch.file("other")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try "keep".write(toFile: other + "/notes.txt", atomically: true, encoding: .utf8)
        let refused = try runTool("stick", ["data", "import-models", source, "-o", other, "--force"])
        #expect(refused.status != 0 && treeEntries(other) == ["notes.txt"])
        // A link named *.json is refused, never followed.
        try FileManager.default.createSymbolicLink(atPath: source + "/Secret.json", withDestinationPath: "/etc/passwd")
        let linked = try runTool("stick", ["data", "import-models", source, "-o", scratch.file("z2")])
        #expect(linked.status != 0 && linked.stderr.contains("Secret.json") && linked.stderr.contains("link"), "\(linked.stderr)")
        try FileManager.default.removeItem(atPath: source + "/Secret.json")
        // Unknown classes and fields are errors naming the file, not silently dropped settings.
        try good.replacingOccurrences(of: "VllmModel", with: "OpenAIModel").write(toFile: source + "/Bad.json", atomically: true, encoding: .utf8)
        let unknown = try runTool("stick", ["data", "import-models", source, "-o", scratch.file("z3")])
        #expect(unknown.status != 0 && unknown.stderr.contains("Bad.json") && unknown.stderr.contains("OpenAIModel"), "\(unknown.stderr)")
        try good.replacingOccurrences(of: #""n": 1"#, with: #""n": 1, "top_p": 0.9"#).write(toFile: source + "/Bad.json", atomically: true, encoding: .utf8)
        let field = try runTool("stick", ["data", "import-models", source, "-o", scratch.file("z3")])
        #expect(field.status != 0 && field.stderr.contains("Bad.json") && field.stderr.contains("top_p"), "\(field.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("z3")), "nothing is written when one config fails")
    }

    @Test func leaderboardPipelineTakesZooNamesAndWritesTheZoo() throws {
        let root = TestPaths.packageRoot.appendingPathComponent("pipelines").path
        let names = ["leaderboard/Llama-3.1-8B-Instruct", "leaderboard/Qwen3-8B", "dummy"]
        let board = try PipelineGraph(PipelineSpec.load(root + "/leaderboard.yaml",
                                                        overrides: [VarOverride(parsing: "models=[\(names.joined(separator: ", "))]")]))
        #expect(board.stage("zoo").commands == ["stick data import-models ../shared/reference/models/leaderboard_configs -o pipelines/models/leaderboard"])
        #expect(board.upstream["query@leaderboard/Qwen3-8B"] == ["zoo", "prompts"] || board.upstream["query@leaderboard/Qwen3-8B"] == ["prompts", "zoo"])
        #expect(board.stage("query@leaderboard/Qwen3-8B").commands.first?.contains("--model pipelines/models/leaderboard/Qwen3-8B.yaml") == true)
        #expect(board.upstream["query@dummy"] == ["prompts"])
        #expect(board.upstream["rank"] == names.map { "score@\($0)" })
    }

    @Test(.enabled(if: TestPaths.referenceData != nil, "needs ../shared/reference (or STICK_REFERENCE_DATA)"))
    func zooStageOfTheLeaderboardPipelineRewritesTheZooIdentically() throws {
        // A copy of pipelines/ (the spec's wdir is its parent), so the repository is never written.
        let scratch = try ScratchDirectory()
        try FileManager.default.copyItem(atPath: TestPaths.packageRoot.appendingPathComponent("pipelines").path,
                                         toPath: scratch.file("pipelines"))
        let run = try runTool("stick", ["pipeline", "run", scratch.file("pipelines/leaderboard.yaml"), "zoo", "-q",
                                        "--set", "reference=\(TestPaths.referenceData!)"], currentDirectory: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        for row in zooTable {
            let written = try Data(contentsOf: URL(fileURLWithPath: scratch.file("pipelines/models/leaderboard/\(row.name).yaml")))
            #expect(written == (try Data(contentsOf: URL(fileURLWithPath: zooDirectory + "/\(row.name).yaml"))), "\(row.name)")
        }
    }

    @Test func cachePathsGiveTheHuggingFaceModel() {
        let m = ReferenceModelImporter.huggingFaceModel(fromCachePath: "/a/hub/models--meta-llama--Llama-3.1-8B-Instruct/snapshots/0e9e39f2/")
        #expect(m?.id == "meta-llama/Llama-3.1-8B-Instruct" && m?.revision == "0e9e39f2")
        #expect(ReferenceModelImporter.huggingFaceModel(fromCachePath: "/a/models--org--name--x/snapshots/ab")?.id == "org/name--x")
        for bad in ["/a/hub/meta-llama/Llama/snapshots/ab", "/a/models--org/snapshots/ab", "/a/models--org--n/snapshots/ab/extra",
                    "/a/models--org--n/snapshots/not-hex", "/a/models--org--n"] {
            #expect(ReferenceModelImporter.huggingFaceModel(fromCachePath: bad) == nil, "\(bad)")
        }
    }
}

@Suite struct ModelConfigDefaultsTests {
    func decode(_ yaml: String) throws -> ModelConfig { try ModelConfig.parse(Data(yaml.utf8), file: "test.yaml") }

    @Test func nameBackendEndpointsAndModelAreEnough() throws {
        let minimal = "name: m\nbackend: openai\nendpoints: [\"http://127.0.0.1:8000/v1\"]\nmodel: model\n"
        let c = try decode(minimal)
        // The reference's values (protocol.md §7): turns 0.7 / 100 tokens / n 1, answers 0 / 10 tokens.
        #expect(c.stick == "model" && c.version == 1 && c.systemMessage && !c.cot && c.reasoning == .none)
        #expect(c.conversation == GenerationParameters(temperature: 0.7, maxTokens: 100, n: 1))
        #expect(c.answers == GenerationParameters(temperature: 0, maxTokens: 10))
        #expect(try decode(minimal + "cot: true\n").answers == GenerationParameters(temperature: 0, maxTokens: 2000))
        let reasoning = try decode(minimal + "reasoning: reasoning_content\n")
        #expect(reasoning.conversation == GenerationParameters(temperature: 0.7, maxTokens: 2000, n: 1))
        #expect(reasoning.answers == GenerationParameters(temperature: 0, maxTokens: 2000))
        // Given fields win; the same minimal config as JSON satisfies the schema.
        #expect(try decode(minimal + "answers: {temperature: 0.5, max_tokens: 7}\n").answers == GenerationParameters(temperature: 0.5, maxTokens: 7))
        let json = try OrderedJSON.parse(#"{"name": "m", "backend": "openai", "endpoints": ["http://127.0.0.1:8000/v1"], "model": "model"}"#)
        #expect(try SchemaValidator.embedded("model.schema.json").validate(json).isEmpty)
        // The written-out configs of pipelines/models say what the defaults say.
        let dummy = try ModelConfig.load(TestPaths.packageRoot.appendingPathComponent("pipelines/models/dummy.yaml").path).config
        #expect(dummy.conversation == c.conversation && dummy.answers == c.answers)
    }

    @Test func stillRefusesOtherKindsAndMissingEssentials() throws {
        #expect(throws: StickError.self) { try decode("stick: dataset\nname: m\nbackend: dummy\nmodel: d\n") }
        #expect(throws: StickError.self) { try decode("name: m\nbackend: dummy\n") }
        #expect(throws: StickError.self) { try decode("name: m\nmodel: d\n") }
    }
}

@Suite struct ReasoningSplitTests {
    func result(_ content: String?, reasoning: String? = nil) -> ChatResult {
        ChatResult(content: content, reasoning: reasoning, finishReason: "stop", usage: nil)
    }

    /// protocol.md §7: reasoning_content when the server parsed it, else the text after the single
    /// closing tag; zero or several tags are the reference's "error" (a random answer, "error" in the history).
    @Test func splitCropsAndErrors() {
        let letters = ["A", "B", "C"]
        for mode in [ModelConfig.Reasoning.reasoningContent, .thinkTag] {
            let parsed = result("(B) because", reasoning: "I think (A)")
            let tagged = result("<think>maybe (A)</think>\n\n(C) " + String(repeating: "x", count: 500))
            if mode == .reasoningContent {
                #expect(AnswerParsing.matchLetter(AnswerParsing.answerText(parsed, cot: false, reasoning: mode), letters: letters) == "B")
            }
            #expect(AnswerParsing.matchLetter(AnswerParsing.answerText(tagged, cot: false, reasoning: mode), letters: letters) == "C")
            #expect(AnswerParsing.answerText(tagged, cot: false, reasoning: mode)?.unicodeScalars.count == 40)
            #expect(AnswerParsing.conversationText(tagged, reasoning: mode).unicodeScalars.count == 400)
            #expect(AnswerParsing.conversationText(tagged, reasoning: mode).hasPrefix("\n\n(C) x"))
            for broken in ["<think>(A) never closed", "<think>a</think> Wait.</think>(B)"] {
                #expect(AnswerParsing.answerText(result(broken), cot: false, reasoning: mode) == nil, "\(broken)")
                #expect(AnswerParsing.conversationText(result(broken), reasoning: mode) == "error", "\(broken)")
            }
        }
        // A think-tag client ignores reasoning_content and splits the content.
        #expect(AnswerParsing.answerText(result("(B)", reasoning: "r"), cot: false, reasoning: .thinkTag) == nil)
        // Reka: `</reasoning>`, then the text before `<sep>`.
        let reka = result("<reasoning>hmm (A)</reasoning> (B) <sep> human: (C)")
        #expect(AnswerParsing.answerText(reka, cot: false, reasoning: .reka) == " (B) ")
        #expect(AnswerParsing.conversationText(result("no tags (A)"), reasoning: .reka) == "error")
        // Crops count code points, as Python's slices do ("\r\n" is two).
        let crlf = result(String(repeating: "\r\n", count: 30), reasoning: "r")
        #expect(AnswerParsing.answerText(crlf, cot: false, reasoning: .reasoningContent)?.unicodeScalars.count == 40)
    }
}

/// The zoo's Qwen3 (served with a reasoning parser) and QwQ (served without one) configs against the
/// fake server in both reasoning modes: query, then parse.
@Suite(.enabled(if: fakeServerAvailable, "needs ../shared/tools/fake-openai-server.py"))
struct ReasoningModelsEndToEndTests {
    @Test(arguments: ["Qwen3-8B", "QwQ-32B"], ["field", "think"]) func reasoningStaysOutOfTheHistoryAndErrorsBecomeRandomAnswers(model: String, mode: String) async throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["forum_0", "forum_1", "chess_0", "svs_no_conv"])
        let server = try FakeOpenAIServer(flags: ["--reasoning", mode])
        defer { server.stop() }
        let output = scratch.file("r.jsonl")
        let summary = try await runQuery(try zooConfig(model, endpoint: server.baseURL), sessions: sessions, output: output)
        #expect(summary.complete)
        let records = try responses(output)
        let thought = "Okay, let me think."  // how every thought of the fake server starts
        var errorTurns = 0, splitByServer = 0, splitByTag = 0, completionTokens = 0
        for r in records {
            let q = try #require(r.request)
            // Reasoning classes: 2000 tokens everywhere, the non-CoT suffix.
            #expect(q.parameters.maxTokens == 2000)
            if r.kind != .conversation { #expect(q.messages.last!.content.hasSuffix("\nReply ONLY with \"(X)\", where X is the letter of the option.")) }
            for m in q.messages where m.role == "assistant" {
                #expect(!m.content.contains(thought) && !m.content.contains("think>"), "thinking leaked into the history: \(m.content.prefix(80))")
                #expect(m.content.unicodeScalars.count <= 400)
            }
            let content = r.content ?? ""
            if r.reasoning != nil { splitByServer += 1 } else { #expect(content.hasPrefix("<think>")) }
            let closings = content.components(separatedBy: "</think>").count - 1
            if r.reasoning == nil, closings == 1 { splitByTag += 1 }
            if r.kind == .conversation, r.reasoning == nil, closings != 1 { errorTurns += 1 }
            // The fake server counts the reasoning as generated tokens (ceil(characters / 4)).
            let generated = content.unicodeScalars.count + (r.reasoning?.unicodeScalars.count ?? 0)
            #expect(r.usage?.completionTokens == (generated + 3) / 4)
            completionTokens += r.usage?.completionTokens ?? 0
        }
        #expect(summary.completionTokens == completionTokens)
        if mode == "field" { #expect(splitByServer > records.count * 9 / 10 && splitByTag > 0) } else { #expect(splitByServer == 0) }
        #expect(errorTurns > 0, "some turns close their thought twice or never")
        // The history of every item is the opening and the turns' replies: after the thought, cropped to 400
        // code points, or "error" (protocol.md §7), turn by turn.
        for (session, turns) in Dictionary(grouping: records.filter { $0.kind == .conversation }, by: \.session) {
            let expected = turns.sorted { $0.step < $1.step }.map { r -> String in
                let content = r.content ?? ""
                let parts = content.components(separatedBy: "</think>")
                let reply = r.reasoning != nil ? content : parts.count == 2 ? parts[1] : nil
                return reply.map { String(String.UnicodeScalarView($0.unicodeScalars.prefix(400))) } ?? "error"
            }
            let item = try #require(records.first { $0.session == session && $0.kind == .answer }?.request)
            #expect(item.messages.dropFirst(2).dropLast().map(\.content) == expected, "\(session)")
        }
        // Every "error" turn is sent on as "error", in the persona's history of the items.
        let historyErrors = records.filter { r in r.kind != .conversation && (r.request?.messages.contains { $0.role == "assistant" && $0.content == "error" } ?? false) }
        #expect(!historyErrors.isEmpty)

        let answers = scratch.file("a.jsonl")
        try Parser.run(sessions: sessions, responses: output, output: answers, csv: nil, options: ParseOptions(noMatch: .seeded(3)))
        let parsed = try JSONLReader<AnswerRecord>(path: answers, kind: .answers).readAll()
        let byItem = Dictionary(uniqueKeysWithValues: records.filter { $0.kind == .answer }.map { ("\($0.session)#\($0.item!)", $0) })
        var unsplittable = 0
        for a in parsed {
            let r = try #require(byItem["\(a.session)#\(a.item)"])
            let content = r.content ?? ""
            if r.reasoning == nil, content.components(separatedBy: "</think>").count != 2 {
                // The reference's "error": a random answer, whatever letters the thought mentions.
                unsplittable += 1
                #expect(a.status == .fallback && a.letter != nil)
            } else {
                let reply = r.reasoning != nil ? content : content.components(separatedBy: "</think>")[1]
                let expected = ["A", "B", "C", "D", "E", "F", "G", "H", "I"].first { String(reply.unicodeScalars.prefix(40)).contains("(\($0))") }
                if let expected { #expect(a.letter == expected) } else { #expect(a.status == .fallback) }
            }
        }
        #expect(unsplittable > 0)
    }
}


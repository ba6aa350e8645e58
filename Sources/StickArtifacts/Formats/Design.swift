// The design format: which contexts exist, which instrument each asks, with which permutation seed,
// and how its conversation is opened. YAML or JSON (the built-in designs are in StickGenPrompts).
import Foundation
import Yams

public struct ConversationSpec: Codable, Hashable, Sendable {
    /// Simulated messages before the questionnaire (odd: persona, interlocutor, persona, …).
    public var turns: Int
    /// One fixed opening message for every persona…
    public var opening: String?
    /// …or an opener set whose line i opens persona i's conversation.
    public var openers: String?
    /// An interlocutor set (interlocutor i talks with persona i); absent means the generic human.
    public var interlocutors: String?
    public var interlocutorKnowsPersona: Bool?
    public var longMessages: Bool?

    enum CodingKeys: String, CodingKey {
        case turns, opening, openers, interlocutors
        case interlocutorKnowsPersona = "interlocutor_knows_persona"
        case longMessages = "long_messages"
    }
}

public struct ContextSpec: Codable, Hashable, Sendable {
    public var id: String
    public var instrument: String
    /// Seeds Python's `random` for the option permutations of this context (StickGenPrompts/README.md §4).
    public var permutationSeed: String
    public var conversation: ConversationSpec?

    enum CodingKeys: String, CodingKey {
        case id, instrument, conversation
        case permutationSeed = "permutation_seed"
    }
}

public struct Design: Codable, Hashable, Sendable {
    public var stick: String
    public var version: Int
    public var name: String
    public var description: String?
    public var population: String
    public var contexts: [ContextSpec]

    public static func parse(_ text: String, file: String) throws -> Design {
        let design: Design
        do { design = try YAMLDecoder().decode(Design.self, from: text) } catch let error as YamlError {
            throw StickError("not valid YAML: \(error)", file: file)
        } catch {
            throw StickError(describeDecodingError(error), file: file)
        }
        try ArtifactKind.design.require(found: design.stick, version: design.version, file: file)
        var ids = Set<String>()
        for c in design.contexts {
            guard ids.insert(c.id).inserted else { throw StickError("context '\(c.id)' appears twice", file: file) }
            if let conv = c.conversation {
                guard conv.turns >= 1, conv.turns % 2 == 1 else {
                    throw StickError("context '\(c.id)': conversation turns must be odd (the persona speaks first and last)", file: file)
                }
                guard (conv.opening == nil) != (conv.openers == nil) else {
                    throw StickError("context '\(c.id)': give exactly one of `opening` and `openers`", file: file)
                }
            }
        }
        return design
    }
}

extension Design {
    /// A YAML (or JSON) document as a JSON value, for schema validation.
    public static func jsonValue(fromYAML text: String) throws -> JSONValue {
        let node: Any?
        do { node = try Yams.load(yaml: text) } catch { throw StickError("not valid YAML: \(error)") }
        return try convert(node)
    }

    private static func convert(_ node: Any?) throws -> JSONValue {
        switch node {
        case nil: return .null
        case let b as Bool: return .bool(b)
        case let i as Int: return .number(Double(i))
        case let d as Double: return .number(d)
        case let s as String: return .string(s)
        case let a as [Any]: return .array(try a.map(convert))
        case let o as [String: Any]:
            return .object(JSONObject(try o.keys.sorted().map { ($0, try convert(o[$0])) }))
        case is NSNull: return .null
        default: throw StickError("unsupported YAML value \(String(describing: node))")
        }
    }
}

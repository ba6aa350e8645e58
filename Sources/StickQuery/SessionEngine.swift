// Runs one session against a backend as the reference does (StickQuery/README.md §2–3): the simulated
// conversation, then the items — PVQ items independently (concurrently), SVS items sequentially with
// the running history, group resets and the extreme-value steps.
import Foundation
import StickArtifacts
import StickBackends
import StickRandom

/// Where no-match fallback letters come from (StickQuery/README.md §6: the reference's are unseeded).
public enum FallbackMode: Sendable, Equatable {
    /// A draw per (session, step) from `seed`: deterministic and independent of scheduling.
    case seeded(UInt64)
    /// Python's `random.Random(seed)`, one generator per context, drawn in request order — how the
    /// reference fixtures were made. Sessions run concurrently; a session's draws wait until the earlier
    /// sessions of its context have finished (`DrawTurns`), so the draws come in file order.
    case reference(UInt64)
}

/// Draws fallback letters; in reference mode one Python generator per context.
final class FallbackSource: @unchecked Sendable {
    let mode: FallbackMode
    private var generators: [String: PythonRandom] = [:]
    private let lock = NSLock()

    init(mode: FallbackMode) { self.mode = mode }

    func draw(context: String, session: String, step: Int, count: Int) -> Int {
        switch mode {
        case .seeded(let seed):
            var rng = PythonRandom(seed: "fallback#\(seed)#\(session)#\(step)")
            return rng.randint(0, count - 1)
        case .reference(let seed):
            lock.lock()
            defer { lock.unlock() }
            var rng = generators[context] ?? PythonRandom(seed: seed)
            let v = rng.randint(0, count - 1)
            generators[context] = rng
            return v
        }
    }
}

/// Reference-mode fallbacks: the draws of a context's generator come in the sessions' file order. The
/// session of rank r (its place among its context's sessions) may draw once the sessions of rank < r
/// have finished — their draws are all made by then.
actor DrawTurns {
    /// Per context, the lowest rank not yet finished.
    private var next: [String: Int] = [:]
    /// Per context, finished ranks above `next`.
    private var finishedAhead: [String: Set<Int>] = [:]
    private var waiters: [String: [(rank: Int, continuation: CheckedContinuation<Void, Never>)]] = [:]

    func waitForTurn(context: String, rank: Int) async {
        if next[context, default: 0] >= rank { return }
        await withCheckedContinuation { waiters[context, default: []].append((rank, $0)) }
    }

    func finish(context: String, rank: Int) {
        var n = next[context, default: 0]
        var ahead = finishedAhead[context, default: []]
        ahead.insert(rank)
        while ahead.remove(n) != nil { n += 1 }
        next[context] = n
        finishedAhead[context] = ahead
        guard var list = waiters[context] else { return }
        list.removeAll { w in
            guard w.rank <= n else { return false }
            w.continuation.resume()
            return true
        }
        waiters[context] = list.isEmpty ? nil : list
    }
}

/// Bounds the requests in flight across all sessions. Urgent calls (reference-mode SVS steps, which
/// the draws of later sessions wait for) are admitted before the others.
actor RequestGate {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var urgent: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { available = max(1, limit) }

    func acquire(urgent isUrgent: Bool = false) async {
        if available > 0 { available -= 1; return }
        await withCheckedContinuation { if isUrgent { urgent.append($0) } else { waiters.append($0) } }
    }

    func release() {
        if !urgent.isEmpty { urgent.removeFirst().resume() } else if !waiters.isEmpty { waiters.removeFirst().resume() } else { available += 1 }
    }
}

public struct SessionEngine: Sendable {
    let config: ModelConfig
    let backend: ChatBackend
    let retry: RetryPolicy
    let storeRequests: Bool
    let gate: RequestGate
    let fallbacks: FallbackSource
    var rateLimiter: RateLimiter? = nil
    /// In reference mode: the order of the fallback draws.
    var turns: DrawTurns? = nil
    /// Set by the audit (`RequestVerifier`): every step must be replayed from its record, and is handed
    /// here with the request rebuilt from the session and the recorded history instead of being checked
    /// against the record's hash as a resume does; a step without a record is an error, never sent.
    var replayCheck: (@Sendable (ReplayedStep) throws -> Void)? = nil

    /// Runs `session`; steps in `done` are replayed from their records instead of being sent again.
    /// Every new record goes to `emit` as soon as its call finishes. `rank` is the session's place among
    /// its context's sessions (for `turns`).
    func run(_ session: SessionRecord, done: [Int: ResponseRecord],
             emit: @escaping @Sendable (ResponseRecord) async throws -> Void, rank: Int = 0) async throws {
        var step = 0
        var history: [ChatMessage] = []
        if let plan = session.conversation {
            var texts = [plan.opening]
            for turn in 0..<plan.turns {
                let messages = Prompting.conversationTurn(turn: turn, texts: texts, persona: session.personaPrompt,
                                                          interlocutor: plan.interlocutor.prompt,
                                                          systemMessage: config.systemMessage)
                let record = try await call(session, step: step, kind: .conversation, item: nil, messages: messages,
                                            parameters: config.conversation, letters: nil, done: done, emit: emit)
                // A failed turn leaves the session without a conversation: its items cannot be asked.
                guard let result = record.result else { return }
                texts.append(AnswerParsing.conversationText(result, reasoning: config.reasoning))
                step += 1
            }
            history = Prompting.conversationHistory(texts)
        }
        switch session.procedure {
        case .independent:
            let first = step
            let conversation = history
            try await withThrowingTaskGroup(of: Void.self) { group in
                for item in session.items {
                    group.addTask {
                        var messages = Prompting.construct(persona: session.personaPrompt, systemMessage: config.systemMessage,
                                                           conversation: conversation, description: session.instructions,
                                                           item: item.prompt)
                        messages[messages.count - 1].content += config.querySuffix
                        _ = try await call(session, step: first + item.index, kind: .answer, item: item.index,
                                           messages: messages, parameters: config.answers, letters: item.letters,
                                           scores: item.scores, done: done, emit: emit)
                    }
                }
                try await group.waitForAll()
            }
        case .svs:
            try await runSVS(session, firstStep: step, done: done, emit: emit, rank: rank)
        }
    }

    /// The value each 0-based item measures.
    static func valueOf(_ session: SessionRecord) -> [Int: String] {
        var map: [Int: String] = [:]
        for v in session.values { for i in v.items { map[i - 1] = v.name } }
        return map
    }

    /// The value 0-based item `item` measures, as `valueOf(session)[item]` (the last value listing it) without
    /// building the whole map for every call.
    static func value(of item: Int, in session: SessionRecord) -> String? {
        session.values.last { $0.items.contains(item + 1) }?.name
    }

    /// The SVS procedure (StickQuery/README.md §3).
    private func runSVS(_ session: SessionRecord, firstStep: Int, done: [Int: ResponseRecord],
                        emit: @escaping @Sendable (ResponseRecord) async throws -> Void, rank: Int) async throws {
        guard let spec = session.svs else { throw StickError("session \(session.id) uses the svs procedure without an svs block") }
        var step = firstStep
        let ratingLetters = session.items.first?.letters ?? []

        /// Sends `u` after `history` (persona prompt only on the group's first query), parses the answer
        /// among `letters`, and appends the answer turn; returns the letter, or nil if the call failed.
        func ask(_ history: inout [ChatMessage], description: String, body: String, letters: [String], kind: ResponseRecord.Kind,
                 item: SessionItem?, extreme: Bool, choice: (values: [String?], most: Bool)? = nil) async throws -> String? {
            var messages = Prompting.construct(persona: history.isEmpty ? session.personaPrompt : "",
                                               systemMessage: config.systemMessage, conversation: history,
                                               description: description, item: body)
            messages[messages.count - 1].content += config.querySuffix
            let record = try await call(session, step: step, kind: kind, item: item?.index, messages: messages,
                                        parameters: config.answers, letters: letters, scores: item?.scores, choice: choice,
                                        done: done, parse: true, rank: rank, emit: emit)
            step += 1
            guard let letter = record.letter, let result = record.result else { return nil }
            history = messages
            let generation = result.content ?? ""
            if config.cot && !extreme {
                history.append(.assistant(record.fallback == true ? "Answer: (\(letter))"
                    : AnswerParsing.pythonPrefix(generation.components(separatedBy: "Answer:")[0], 4000) + "Answer: (\(letter))"))
            } else {
                history.append(.assistant("(\(letter))"))
            }
            return letter
        }

        for group in spec.groups {
            var history: [ChatMessage] = []
            var candidates = group.items.map { $0 - 1 }
            var rated = Set<Int>()
            let groupDescription = session.instructions + "\n\n" + group.description
            let valueOf = Self.valueOf(session)
            for (prefix, description, most) in [(group.prefixMost, groupDescription, true), (group.prefixLeast, "", false)] {
                let letters = Array(optionLetters.prefix(candidates.count))
                let body = prefix + "\n" + Prompting.choices(candidates.map { session.items[$0].text }, letters: letters)
                guard let chosenLetter = try await ask(&history, description: description, body: body, letters: letters,
                                                       kind: .choice, item: nil, extreme: false,
                                                       choice: (candidates.map { valueOf[$0] }, most)) else { return }
                let chosen = candidates.remove(at: letters.firstIndex(of: chosenLetter)!)
                let item = session.items[chosen]
                guard try await ask(&history, description: spec.chosenPrefix + item.text + spec.chosenSuffix, body: item.prompt,
                                    letters: ratingLetters, kind: .answer, item: item, extreme: true) != nil else { return }
                rated.insert(chosen)
            }
            var first = true
            for i in group.items.map({ $0 - 1 }) where !rated.contains(i) {
                guard try await ask(&history, description: first ? spec.restInstruction : "", body: session.items[i].prompt,
                                    letters: ratingLetters, kind: .answer, item: session.items[i], extreme: false) != nil
                else { return }
                first = false
            }
        }
    }

    /// One LLM call (or its replay from `done`), recorded and emitted.
    private func call(_ session: SessionRecord, step: Int, kind: ResponseRecord.Kind, item: Int?, messages: [ChatMessage],
                      parameters: GenerationParameters, letters: [String]?, scores: [Int]? = nil,
                      choice: (values: [String?], most: Bool)? = nil,
                      done: [Int: ResponseRecord], parse: Bool = false, rank: Int = 0,
                      emit: @escaping @Sendable (ResponseRecord) async throws -> Void) async throws -> ResponseRecord {
        let request = ChatRequest(model: config.model, messages: messages, parameters: parameters)
        if let previous = done[step], let replayCheck {
            var expected: (letter: String, fallback: Bool)?
            if parse, let letters, let result = previous.result {
                let text = AnswerParsing.answerText(result, cot: config.cot, reasoning: config.reasoning)
                if let l = AnswerParsing.matchLetter(text, letters: letters) {
                    expected = (l, false)
                } else {
                    expected = (letters[fallbacks.draw(context: session.context, session: session.id, step: step,
                                                       count: letters.count)], true)
                }
            }
            try replayCheck(ReplayedStep(session: session.id, step: step, request: request, record: previous,
                                         expectedLetter: expected?.letter, expectedFallback: expected?.fallback))
            return previous
        }
        if replayCheck != nil {
            throw StickError("session \(session.id) step \(step) has no response record, but the session asks it")
        }
        if let previous = done[step] {
            guard previous.requestSHA256 == SHA256Hex.of(request.body()) else {
                throw StickError("resume: session \(session.id) step \(step) was sent as a different request before "
                    + "(the sessions, the model config or an earlier response changed); start a new output")
            }
            // Keep the reference-mode generator in step with the first run.
            if parse, previous.fallback == true, let letters {
                await turns?.waitForTurn(context: session.context, rank: rank)
                _ = fallbacks.draw(context: session.context, session: session.id, step: step, count: letters.count)
            }
            return previous
        }
        // Encoded only once the gate admits the call: the PVQ items of every running session wait at the
        // gate together, and their encoded bodies would be the bulk of the memory in use.
        await gate.acquire(urgent: parse && turns != nil)
        let messagesJSON = request.messagesJSON()
        let body = request.body(messagesJSON: messagesJSON)
        let sha = SHA256Hex.of(body)
        let context = RequestContext(sessionID: session.id, context: session.context, personaIndex: session.personaIndex,
                                     step: step, answerLetters: letters, item: item, letterScores: scores,
                                     itemValue: item.flatMap { Self.value(of: $0, in: session) }, choiceValues: choice?.values,
                                     choiceMost: choice?.most, encodedBody: body, requestSHA256: sha)
        if let rateLimiter {
            let promptChars = messages.reduce(0) { $0 + $1.content.utf8.count }
            do { try await rateLimiter.admit(estimatedTokens: promptChars / 4 + parameters.maxTokens) } catch {
                await gate.release()
                throw error
            }
        }
        let start = DispatchTime.now()
        let outcome: AttemptOutcome
        do { outcome = try await completeWithRetries(backend, request, context: context, policy: retry) } catch {
            await gate.release()
            throw error
        }
        // The call keeps its slot until its record is journalled: when the journal (or the executor) falls
        // behind, finished calls would otherwise pile up waiting for it, each holding its request, and memory
        // would grow with the length of the run. A reference-mode draw waits for other sessions: the slot is
        // given back before that wait.
        var holdsSlot = true
        let latency = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        var record = ResponseRecord(session: session.id, context: session.context, personaIndex: session.personaIndex,
                                    step: step, kind: kind, item: item, request: storeRequests ? request : nil,
                                    requestSHA256: sha, latencyMS: (latency * 1000).rounded() / 1000,
                                    attempts: outcome.attempts)
        if storeRequests { record.encodedMessages = EncodedBytes(messagesJSON) }
        switch outcome.result {
        case .success(let r):
            record.content = r.content
            record.reasoning = r.reasoning
            record.finishReason = r.finishReason
            record.usage = r.usage
            record.topLogprobs = r.topLogprobs
            if parse, let letters {
                let text = AnswerParsing.answerText(r, cot: config.cot, reasoning: config.reasoning)
                if let l = AnswerParsing.matchLetter(text, letters: letters) {
                    record.letter = l
                    record.fallback = false
                } else {
                    if turns != nil, holdsSlot { holdsSlot = false; await gate.release() }
                    await turns?.waitForTurn(context: session.context, rank: rank)
                    record.letter = letters[fallbacks.draw(context: session.context, session: session.id, step: step,
                                                           count: letters.count)]
                    record.fallback = true
                }
            }
        case .failure(let e):
            record.error = Redaction.urls(in: e.message)
        }
        do { try await emit(record) } catch {
            if holdsSlot { await gate.release() }
            throw error
        }
        if holdsSlot { await gate.release() }
        return record
    }
}

// Two cores for one stream: the producer (decompressing) hands chunks to a consumer (hashing, writing)
// on a second thread, at most `capacity` chunks ahead. `unpack` overlaps its halves this way, as
// `zstd -dc | tar -x` does with two processes.
import Foundation

final class ChunkPipeline: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Data] = []
    private var closed = false
    private var consumerDone = false
    private var failure: Error?
    private let capacity: Int

    init(capacity: Int = 8, consume: @escaping @Sendable (Data) throws -> Void) {
        self.capacity = capacity
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while pending.isEmpty && !closed { condition.wait() }
                guard !pending.isEmpty, failure == nil else {
                    consumerDone = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                let chunk = pending.removeFirst()
                condition.broadcast()
                condition.unlock()
                do { try consume(chunk) } catch {
                    condition.lock()
                    failure = error
                    pending.removeAll()
                    condition.broadcast()
                    condition.unlock()
                }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues a chunk, waiting while `capacity` chunks are pending; rethrows the consumer's error.
    func send(_ chunk: Data) throws {
        condition.lock()
        defer { condition.unlock() }
        while pending.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        pending.append(chunk)
        condition.broadcast()
    }

    /// Waits until every chunk is consumed (or dropped after an error); rethrows the consumer's error.
    func finish() throws {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !consumerDone { condition.wait() }
        if let failure { throw failure }
    }

    /// Stops the consumer without waiting for what is pending (after a producer error).
    func cancel() {
        condition.lock()
        closed = true
        pending.removeAll()
        condition.broadcast()
        while !consumerDone { condition.wait() }
        condition.unlock()
    }
}

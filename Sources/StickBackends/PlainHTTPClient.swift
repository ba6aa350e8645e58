// HTTP/1.1 over plain TCP on SwiftNIO for `http://` endpoints (a vLLM or llama.cpp server next to the client,
// where query's own CPU is what limits a run): one POST per exchange on a kept-alive connection, the head and
// the body written together (one system call), the response collected on the event loop and handed back
// once. AsyncHTTPClient, which `https://` endpoints keep using, spends about twice the CPU per call on its
// request state machines, a flush after the head and its connection-pool bookkeeping (query at zero latency:
// 187 µs of CPU per call with it, 133 with this, of which about 65 are not HTTP).
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

final class PlainHTTPClient: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
        /// Whether the connection may carry the next exchange: HTTP/1.1 without "Connection: close", or
        /// HTTP/1.0 with "Connection: keep-alive".
        var keepAlive: Bool
    }

    /// Why an exchange failed before a response came, for the retry policy.
    enum Failure: Error, Equatable {
        /// The connection closed (or was reset) under the request, also in the middle of the response.
        case connectionClosed
        /// The reply was not HTTP.
        case malformedResponse
        case timeout
        case bodyTooLarge
    }

    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    private let connectTimeout: TimeAmount
    private let maxBodyBytes: Int
    /// Idle kept-alive connections per "host:port".
    private let idle = NIOLockedValueBox([String: [any Channel]]())
    private static let maxIdlePerHost = 512

    init(connectTimeout: TimeAmount, maxBodyBytes: Int) {
        self.connectTimeout = connectTimeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// POSTs `body` to `path` on `host:port`; the whole response, or a thrown `Failure` / NIO error.
    func post(host: String, port: Int, path: String, headers: HTTPHeaders, body: ByteBuffer, timeout: TimeAmount) async throws -> Response {
        // An IPv6 literal is connected to bare and named in brackets (RFC 7230 §5.4).
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let key = (bare.contains(":") ? "[\(bare)]" : bare) + ":\(port)"
        let channel = try await connection(key: key, host: bare, port: port)
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: headers)
        head.headers.replaceOrAdd(name: "Host", value: key)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        let promise = channel.eventLoop.makePromise(of: Response.self)
        let exchange = Exchange(head: head, body: body, promise: promise)
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(Failure.timeout)
            channel.close(promise: nil)
        }
        // Cancelled on the event loop the moment the exchange completes, whichever way: a deadline that fired
        // later, while this task waits to resume on a busy machine, would close a connection that is fine and
        // may already carry the next exchange.
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        channel.writeAndFlush(exchange).whenFailure { promise.fail($0) }
        do {
            // A cancelled task fails the exchange if it is still pending (the connection is closed below);
            // one that completed is left alone.
            let response = try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                promise.fail(CancellationError())
            }
            if response.keepAlive { release(channel, key: key) } else { channel.close(promise: nil) }
            return response
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    func shutdown() {
        let channels = idle.withLockedValue { idle in
            defer { idle = [:] }
            return idle.values.flatMap { $0 }
        }
        for channel in channels { channel.close(promise: nil) }
    }

    private func release(_ channel: any Channel, key: String) {
        let kept = idle.withLockedValue { idle -> Bool in
            guard idle[key, default: []].count < Self.maxIdlePerHost else { return false }
            idle[key, default: []].append(channel)
            return true
        }
        if !kept { channel.close(promise: nil) }
    }

    /// An idle connection that is still open, or a new one.
    private func connection(key: String, host: String, port: Int) async throws -> any Channel {
        while let channel = idle.withLockedValue({ $0[key]?.popLast() }) {
            if channel.isActive { return channel }
        }
        let maxBodyBytes = self.maxBodyBytes
        return try await ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ExchangeHandler(maxBodyBytes: maxBodyBytes))
                }
            }
            .connect(host: host, port: port).get()
    }
}

/// One request and where its response goes.
final class Exchange: Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer
    let promise: EventLoopPromise<PlainHTTPClient.Response>

    init(head: HTTPRequestHead, body: ByteBuffer, promise: EventLoopPromise<PlainHTTPClient.Response>) {
        self.head = head
        self.body = body
        self.promise = promise
    }
}

/// Writes an exchange's request (head, body, end: flushed together by the caller's writeAndFlush) and
/// collects its response; a connection that closes or fails under an exchange fails it.
final class ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Exchange
    typealias OutboundOut = HTTPClientRequestPart

    private let maxBodyBytes: Int
    private var pending: EventLoopPromise<PlainHTTPClient.Response>?
    private var status = 0
    private var keepAlive = true
    private var headers = HTTPHeaders()
    private var body = ByteBuffer()

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard pending == nil else {
            // One exchange at a time per connection (no pipelining).
            exchange.promise.fail(ChannelError.inappropriateOperationForState)
            promise?.fail(ChannelError.inappropriateOperationForState)
            return
        }
        // The response state needs no reset: each response sets the head's fields before its end, and `.end`
        // hands the body over; a connection whose exchange failed is closed, never reused.
        pending = exchange.promise
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(exchange.body))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            headers = head.headers
            keepAlive = head.isKeepAlive
        case .body(var part):
            guard body.readableBytes + part.readableBytes <= maxBodyBytes else {
                fail(PlainHTTPClient.Failure.bodyTooLarge)
                context.close(promise: nil)
                return
            }
            body.writeBuffer(&part)
        case .end:
            let response = PlainHTTPClient.Response(status: status, headers: headers, body: body, keepAlive: keepAlive)
            body = ByteBuffer()
            let promise = pending
            pending = nil
            promise?.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(PlainHTTPClient.Failure.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parse = error as? HTTPParserError {
            // A reply cut short by the end of the connection is a closed connection, as when nothing came.
            fail(parse == .invalidEOFState ? PlainHTTPClient.Failure.connectionClosed : PlainHTTPClient.Failure.malformedResponse)
        } else {
            fail(error)
        }
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        let promise = pending
        pending = nil
        promise?.fail(error)
    }
}

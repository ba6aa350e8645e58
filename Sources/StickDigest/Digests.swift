// SHA-256 and SHA-512 over Nettle (the system library libarchive already links), so that no stage needs
// swift-crypto's BoringSSL for hashing.
import CNettle
import Foundation

/// An incremental SHA-256.
public struct SHA256Hasher {
    private var context = sha256_ctx()

    public init() { nettle_sha256_init(&context) }

    public mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        nettle_sha256_update(&context, bytes.count, base.assumingMemoryBound(to: UInt8.self))
    }

    public mutating func update<Bytes: ContiguousBytes>(data: Bytes) {
        data.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// The 32-byte digest; the hasher starts over afterwards (Nettle's contract).
    public mutating func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { nettle_sha256_digest(&context, 32, $0.baseAddress) }
        return digest
    }

    public static func hash<Bytes: ContiguousBytes>(data: Bytes) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(data: data)
        return hasher.finalize()
    }
}

/// SHA-512 of a byte string (CPython hashes string seeds with it).
public func sha512(_ bytes: [UInt8]) -> [UInt8] {
    var context = sha512_ctx()
    nettle_sha512_init(&context)
    bytes.withUnsafeBufferPointer { nettle_sha512_update(&context, $0.count, $0.baseAddress) }
    var digest = [UInt8](repeating: 0, count: 64)
    digest.withUnsafeMutableBufferPointer { nettle_sha512_digest(&context, 64, $0.baseAddress) }
    return digest
}

// Downloads a URL to a file (for `stick data import https://…`), streaming to a temporary name.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StickArtifacts

public enum Download {
    public static func fetch(_ url: String, to path: String, timeout: TimeInterval = 300) throws {
        guard let u = URL(string: url), let scheme = u.scheme, ["http", "https"].contains(scheme) else {
            throw StickError("not an http(s) URL", file: url)
        }
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        let session = URLSession(configuration: config)
        let task = session.downloadTask(with: u) { location, response, error in
            defer { semaphore.signal() }
            if let error { box.result = .failure(StickError("download failed: \(error.localizedDescription)", file: url)); return }
            guard let http = response as? HTTPURLResponse, let location else {
                box.result = .failure(StickError("download failed: no response", file: url)); return
            }
            guard (200..<300).contains(http.statusCode) else {
                box.result = .failure(StickError("download failed: HTTP \(http.statusCode)", file: url)); return
            }
            do {
                try? FileManager.default.removeItem(atPath: path)
                try FileManager.default.moveItem(at: location, to: URL(fileURLWithPath: path))
                box.result = .success(())
            } catch {
                box.result = .failure(StickError("cannot store the download: \(error.localizedDescription)", file: path))
            }
        }
        task.resume()
        semaphore.wait()
        session.finishTasksAndInvalidate()
        try box.result?.get()
    }

    private final class ResultBox: @unchecked Sendable {
        var result: Result<Void, Error>?
    }
}

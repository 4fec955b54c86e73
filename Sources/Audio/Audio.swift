// Audio: sound in and out at the edges of the pipeline.
//
//     let question = try SoundFile.readSpeech(URL(fileURLWithPath: "Samples/sky-blue.flac"))
//     // question.samples: 16 kHz mono Float, whatever the file held
//
//     var endpointer = Endpointer(detector: SileroVAD(weights: try SileroVADWeights.load()))
//     var events: [EndpointEvent] = []
//     endpointer.process(chunk, into: &events)  // .speechStarted, .silenceStarted, ..., .utteranceEnded(utterance)
//
// Sound files (libsndfile), resampling, ALSA capture and playback by device name, the virtual microphone that
// plays a file into ALSA's capture path, and the bounded ring buffer between the capture thread and the rest.
// Voice activity (VoiceActivity/): Silero VAD v6 in Swift (weights converted once from the cached safetensors to
// GGUF), an energy detector as a fallback, and the endpointing stage.
//
// Thread safety: a SoundFileWriter or a device handle belongs to one thread; `CaptureRing` is the only type here
// meant to be shared (one producer, one consumer). Detectors and endpointers belong to one pipeline; the loaded
// `SileroVADWeights` are immutable and may be shared.

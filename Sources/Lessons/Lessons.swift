/// Teachers' lessons: the library folder and its manifest, transcripts, the lesson-script markup and its
/// rendering, and finding a lesson from a spoken or typed request.
///
///     let library = LessonLibrary(folder: LessonLibrary.defaultFolder())
///     let manifest = try library.loadManifest()
///     let best = LessonFinder(manifest: manifest, topics: retriever).find("play the lesson about magnets").first
///
/// Lessons imports only TutorCore: recording, speech and recognition are stages, joined to lessons by the command
/// line through `LessonSpeaking` and TutorCore's `TopicRanking`. Every type here is a value; share them freely, but
/// render or edit one manifest on one thread at a time.
public enum Lessons {}

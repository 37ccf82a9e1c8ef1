"""Content rules for media messages: IMAGE (VB210-VB219), VIDEO (VB220-VB229) and FILE
(VB230-VB239): URLs, extensions, captions, sizes, durations and file names."""

from __future__ import annotations

from typing import Iterable, Iterator

from ..diagnostics import Severity
from .base import Finding, Help, Rule, RuleContext
from ..words import describe
from .common import file_extension, is_finite, is_http_url, is_int, is_number, length, url_extension

#: Caption limit of the schema (IMAGE and VIDEO ``text`` maxLength) and of current Viber.
CAPTION_SCHEMA_MAX = 768
#: Image caption limit of Infobip's prose page (and of older Viber docs).
CAPTION_PROSE_MAX = 512
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "gif")
JPEG_EXTENSIONS = ("jpg", "jpeg")
#: ViberBotOutboundVideoContent.size maximum (26 MiB).
VIDEO_MAX_BYTES = 27_262_976
#: ViberBotOutboundVideoContent.duration maximum, seconds.
VIDEO_MAX_SECONDS = 180
#: ViberBotOutboundFileContent.fileName maxLength (including the extension).
FILE_NAME_MAX = 256
#: ViberBotOutboundFileContent.size maximum (50 MiB).
FILE_MAX_BYTES = 52_428_800
#: Formats Infobip's prose page lists for file messages.
FILE_LISTED_EXTENSIONS = ("pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx")
#: Viber's forbidden file formats (constraints.md §2, S18).
FILE_FORBIDDEN_EXTENSIONS = frozenset(
    e.lower()
    for e in (
        "ACTION APK APP BAT BIN CMD COM COMMAND CPL CSH EXE GADGET INF1 INS INX IPA ISU JOB JSE "
        "KSH LNK MSC MSI MSP MST OSX OUT PAF PIF PRG PS1 REG RGS RUN SCT SHB SHS U3P VB VBE VBS "
        "VBSCRIPT WORKFLOW WS WSF"
    ).split()
)
#: Extensions that name the same format.
_SAME_FORMAT = {"jpeg": "jpg", "tiff": "tif", "htm": "html", "mpeg": "mpg"}


def of_type(ctx: RuleContext, type_: str) -> Iterator[tuple[tuple, dict]]:
    """``(path, content)`` for every content of the given TYPE."""
    for cpath, c, t in ctx.contents():
        if t == type_:
            yield cpath, c




def _url_problem(c: dict, key: str, required: bool) -> str | None:
    """Why ``c[key]`` is not a usable absolute http(s) URL, or None when it is (or when it
    is optional and absent)."""
    if key not in c or c[key] is None:
        return f"`{key}` is missing" if required else None
    v = c[key]
    if not isinstance(v, str):
        return f"`{key}` {describe(v)} is not a URL string"
    if not is_http_url(v):
        return f"`{key}` {describe(v)} is not an absolute http(s) URL"
    return None


def _url_finding(cpath: tuple, c: dict, key: str, required: bool, what: str) -> Finding | None:
    problem = _url_problem(c, key, required)
    if problem is None:
        return None
    path = cpath + (key,) if key in c and c[key] is not None else cpath
    return Finding(path, f"{what}: {problem}",
                   help="use an absolute URL such as https://cdn.example.com/file")


def _valid_url(c: dict, key: str) -> str | None:
    v = c.get(key)
    return v if isinstance(v, str) and is_http_url(v) else None


def _caption(c: dict) -> str | None:
    v = c.get("text")
    return v if isinstance(v, str) else None


# =========================================================================== IMAGE


class ImageCaptionTooLongRule(Rule):
    """An image caption is longer than 768 characters (Infobip's schema limit).

    Why: ``ViberBotOutboundImageContent.text`` has ``maxLength: 768`` in Infobip's schema,
    and current Viber docs agree; a longer caption is rejected.

    Source: constraints.md §2, §2.1 (S6 ``ViberBotOutboundImageContent``, S13).

    Decision: the prose page (S1) says 512; the schema decides the wire shape, so only more
    than 768 is an error and 513-768 is the warning VB211.

    Fails:

        image: {url: "https://cdn.example.com/a.png", caption: "… 769 characters …"}

    Passes:

        image: {url: "https://cdn.example.com/a.png", caption: Spring sale}
    """

    code, name, severity = "VB210", "image-caption-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "IMAGE"):
            cap = _caption(c)
            if cap is not None and length(cap) > CAPTION_SCHEMA_MAX:
                yield Finding(cpath + ("text",),
                              f"image caption is {length(cap):,} characters; Infobip's schema allows at most {CAPTION_SCHEMA_MAX}",
                              help="shorten the caption")


class ImageCaptionOverProseLimitRule(Rule):
    """An image caption has 513-768 characters: within the schema, over Infobip's prose limit.

    Why: Infobip's message-types page and older Viber docs and SDKs limit the caption to 512
    characters; such a caption may be truncated or rejected on older paths or clients.

    Source: constraints.md §2, §2.1 (S1 prose 512; S6 and S13 768).

    Decision: the published spec decides the wire shape; stricter prose limits become
    warnings unless the spec says more. So 513-768 is a warning (more than 768 is VB210).

    Fails:

        image: {url: "https://cdn.example.com/a.png", caption: "… 600 characters …"}

    Passes:

        image: {url: "https://cdn.example.com/a.png", caption: "… at most 512 characters …"}
    """

    code, name, severity = "VB211", "image-caption-over-prose-limit", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "IMAGE"):
            cap = _caption(c)
            if cap is not None and CAPTION_PROSE_MAX < length(cap) <= CAPTION_SCHEMA_MAX:
                yield Finding(cpath + ("text",),
                              f"image caption is {length(cap)} characters; Infobip's docs allow {CAPTION_PROSE_MAX} "
                              "(the schema allows 768), so it may be cut on some paths",
                              help=f"keep captions to {CAPTION_PROSE_MAX} characters")


class ImageUrlInvalidRule(Rule):
    """An image message has no ``url``, or it is not an absolute http(s) URL.

    Why: ``url`` is required for IMAGE content and Viber downloads the picture from it; a
    relative path, another scheme or a URL with spaces cannot be fetched.

    Source: constraints.md §2 and §6 ``url-invalid`` (S6 ``ViberBotOutboundImageContent``:
    ``url`` required; S13).

    Fails:

        image: {url: /img/promo.png}

    Passes:

        image: {url: "https://cdn.example.com/promo.png"}
    """

    code, name, severity = "VB212", "image-url-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "IMAGE"):
            f = _url_finding(cpath, c, "url", True, "image url")
            if f:
                yield f


class ImageUrlBadExtensionRule(Rule):
    """The image URL's last path segment does not end in .jpg, .jpeg, .png or .gif.

    Why: Viber requires the picture URL to name a JPEG, PNG or GIF file as its last path
    segment; other formats (WebP, SVG, …) or extension-less URLs are not shown as images.

    Source: constraints.md §2 "Image URL must end in …" and §2.1, §6 ``image-url-bad-extension``
    (S13 Viber; S1 Infobip lists .jpg, .png, .gif).

    Decision: Infobip lists ``.jpg``, Viber ``.jpeg``: accept .jpg, .jpeg, .png and .gif,
    case-insensitive. The query string is ignored. Error, as Viber documents the requirement.

    Fails:

        image: {url: "https://cdn.example.com/promo.webp"}

    Passes:

        image: {url: https://cdn.example.com/promo.JPG?v=2}
    """

    code, name, severity = "VB213", "image-url-bad-extension", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "IMAGE"):
            url = _valid_url(c, "url")
            if url is None:
                continue  # VB212
            ext = url_extension(url)
            if ext not in IMAGE_EXTENSIONS:
                got = f".{ext}" if ext else "no extension"
                yield Finding(cpath + ("url",),
                              f"image url has {got}; Viber needs a .jpg, .jpeg, .png or .gif file as the last path segment",
                              help="link the image file itself, e.g. https://cdn.example.com/promo.png")


class ImageAnimatedGifRule(Rule):
    """The image URL is a .gif: only static GIFs render as image messages.

    Why: Viber shows only non-animated GIFs in picture messages; an animated GIF shows its
    first frame or fails. Animated GIFs should go as a URL message (or a file) instead. The
    file itself cannot be inspected offline, so every .gif gets this reminder.

    Source: constraints.md §2 "Image format" and §6 ``image-animated-gif`` (S1, S13).

    Fails:

        image: {url: "https://cdn.example.com/dance.gif"}

    Passes:

        url: https://cdn.example.com/dance.gif
    """

    code, name, severity = "VB214", "image-animated-gif", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "IMAGE"):
            url = _valid_url(c, "url")
            if url is not None and url_extension(url) == "gif":
                yield Finding(cpath + ("url",),
                              "image is a GIF; only static GIFs render as images",
                              help="if it is animated, send it as a URL message instead")


class ImageThumbnailUrlInvalidRule(Rule):
    """An image ``thumbnailUrl`` is given but is not an absolute http(s) URL.

    Why: Viber downloads the thumbnail (at most 100 kB, 400x400 recommended) from this URL;
    a relative path, another scheme or a URL with spaces cannot be fetched.

    Source: constraints.md §2 "Image thumbnail" and §6 ``url-invalid`` (S1, S13; S6
    ``ViberBotOutboundImageContent.thumbnailUrl``).

    Fails:

        image: {url: "https://cdn.example.com/a.png", thumbnail: "t.jpg"}

    Passes:

        image: {url: "https://cdn.example.com/a.png", thumbnail: "https://cdn.example.com/t.jpg"}
    """

    code, name, severity = "VB215", "image-thumbnail-url-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "IMAGE"):
            f = _url_finding(cpath, c, "thumbnailUrl", False, "image thumbnailUrl")
            if f:
                yield f


# =========================================================================== VIDEO


class VideoUrlInvalidRule(Rule):
    """A video message has no ``url``, or it is not an absolute http(s) URL.

    Why: ``url`` is required for VIDEO content and Viber downloads the video from it.

    Source: constraints.md §2 and §6 ``url-invalid`` (S6 ``ViberBotOutboundVideoContent``:
    ``url`` required; S13).

    Fails:

        video: {url: "ftp://cdn.example.com/a.mp4", size: 5MiB}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB}
    """

    code, name, severity = "VB220", "video-url-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            f = _url_finding(cpath, c, "url", True, "video url")
            if f:
                yield f


class VideoUrlNotMp4Rule(Rule):
    """The video URL's last path segment does not end in ``.mp4``.

    Why: Viber plays MP4 (H.264) videos only and requires the URL to name an ``.mp4`` file as
    its last path segment.

    Source: constraints.md §2 "Video URL must have … .mp4" and §6 ``video-url-not-mp4`` (S1,
    S13).

    Fails:

        video: {url: "https://cdn.example.com/a.mov", size: 5MiB}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB}
    """

    code, name, severity = "VB221", "video-url-not-mp4", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            url = _valid_url(c, "url")
            if url is None:
                continue  # VB220
            ext = url_extension(url)
            if ext != "mp4":
                got = f".{ext}" if ext else "no extension"
                yield Finding(cpath + ("url",), f"video url has {got}; Viber needs an .mp4 file",
                              help="convert the video to MP4 (H.264) and link the .mp4 file")


def _size_finding(cpath: tuple, c: dict, kind: str) -> Finding | None:
    if "size" not in c or c["size"] is None:
        return Finding(cpath, f"{kind} content has no `size`; it is required",
                       help=Help('give the size of the file in bytes, e.g. "size": 5242880',
                                 "give the size of the file in bytes, e.g. size: 5MiB"))
    v = c["size"]
    if not is_int(v):
        return Finding(cpath + ("size",), f"{kind} size {describe(v)} is not a whole number of bytes")
    if v <= 0:
        return Finding(cpath + ("size",), f"{kind} size is {v}; it must be a positive number of bytes")
    return None


class VideoSizeInvalidRule(Rule):
    """A video's ``size`` is missing, not a whole number, or not positive.

    Why: ``size`` (bytes) is required for VIDEO content in both Infobip's schema and Viber's
    API, which uses it before downloading; zero or a negative size cannot be right.

    Source: constraints.md §2 "Video size" and §6 ``video-size-missing`` (S6
    ``ViberBotOutboundVideoContent``: ``size`` required int32; S13).

    Fails:

        video: {url: "https://cdn.example.com/a.mp4", size: 0}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB}
    """

    code, name, severity = "VB222", "video-size-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            f = _size_finding(cpath, c, "video")
            if f:
                yield f


class VideoTooLargeRule(Rule):
    """A video's ``size`` is over 27,262,976 bytes (26 MiB).

    Why: Infobip's schema sets ``maximum: 27262976`` for the video size and Viber documents a
    26 MB limit; larger videos are rejected.

    Source: constraints.md §2 "Video size" and §6 ``video-too-large`` (S6
    ``ViberBotOutboundVideoContent.size``, S1, S13).

    Fails:

        video: {url: "https://cdn.example.com/a.mp4", size: 30MiB}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 26MiB}
    """

    code, name, severity = "VB223", "video-too-large", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            v = c.get("size")
            if is_int(v) and v > VIDEO_MAX_BYTES:
                yield Finding(cpath + ("size",),
                              f"video size is {v:,} bytes; the limit is {VIDEO_MAX_BYTES:,} bytes (26 MiB)",
                              help="compress or shorten the video")


class VideoDurationTooLongRule(Rule):
    """A video's ``duration`` is over 180 seconds.

    Why: Infobip's schema sets ``maximum: 180`` for the duration, matching Viber's limit.

    Source: constraints.md §2 "Video duration" and §6 ``video-duration-too-long`` (S6
    ``ViberBotOutboundVideoContent.duration``, S13).

    Fails:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, duration: 4m}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, duration: 3m}
    """

    code, name, severity = "VB224", "video-duration-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            v = c.get("duration")
            if is_number(v) and is_finite(v) and v > VIDEO_MAX_SECONDS:
                yield Finding(cpath + ("duration",),
                              f"video duration is {v} s; the limit is {VIDEO_MAX_SECONDS} s",
                              help="shorten the video to 3 minutes or less")


class VideoDurationInvalidRule(Rule):
    """A video's ``duration`` is given but is not a positive whole number of seconds.

    Why: ``duration`` is an int32 number of seconds shown to the receiver; zero, a negative
    value, a fraction or a string is not a duration Infobip accepts.

    Source: S6 ``ViberBotOutboundVideoContent.duration`` (int32, maximum 180); S13.

    Fails:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, duration: 0}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, duration: 30s}
    """

    code, name, severity = "VB225", "video-duration-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            if "duration" not in c or c["duration"] is None:
                continue
            v = c["duration"]
            if not is_int(v):
                yield Finding(cpath + ("duration",), f"video duration {describe(v)} is not a whole number of seconds")
            elif v <= 0:
                yield Finding(cpath + ("duration",), f"video duration is {v}; it must be a positive number of seconds")


class VideoThumbnailNotJpegRule(Rule):
    """A video ``thumbnailUrl`` names a file that is not a JPEG (.jpg or .jpeg).

    Why: Viber accepts only JPEG thumbnails for videos (at most 100 kB, 400x400
    recommended); a PNG or GIF thumbnail may not show.

    Source: constraints.md §2 "Video thumbnail" and §6 ``video-thumbnail-not-jpeg`` (S1, S13).

    Decision: warning, because only the URL can be checked and the server may still send a
    JPEG. A URL without an extension is not reported (nothing to go on).

    Fails:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, thumbnail: "https://cdn.example.com/v.png"}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, thumbnail: "https://cdn.example.com/v.jpg"}
    """

    code, name, severity = "VB226", "video-thumbnail-not-jpeg", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            url = _valid_url(c, "thumbnailUrl")
            if url is None:
                continue
            ext = url_extension(url)
            if ext and ext not in JPEG_EXTENSIONS:
                yield Finding(cpath + ("thumbnailUrl",),
                              f"video thumbnail is a .{ext}; Viber accepts only JPEG thumbnails",
                              help="use a .jpg thumbnail of at most 100 kB")


class VideoCaptionTooLongRule(Rule):
    """A video caption (``text``) is longer than 768 characters.

    Why: ``ViberBotOutboundVideoContent.text`` has ``maxLength: 768`` in Infobip's schema.

    Source: constraints.md §2 "Video caption" (S6 ``ViberBotOutboundVideoContent``).

    Fails:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, caption: "… 769 characters …"}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, caption: Watch}
    """

    code, name, severity = "VB227", "video-caption-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            cap = _caption(c)
            if cap is not None and length(cap) > CAPTION_SCHEMA_MAX:
                yield Finding(cpath + ("text",),
                              f"video caption is {length(cap):,} characters; Infobip's schema allows at most {CAPTION_SCHEMA_MAX}",
                              help="shorten the caption")


class VideoCaptionUnrenderedRule(Rule):
    """A video has a caption, which Viber may not display.

    Why: Infobip's schema accepts ``text`` on VIDEO content, but Viber's native video
    message has no text field and Infobip's prose says nothing about it, so the caption may
    never reach the user. Send important text as its own message.

    Source: constraints.md §2 "Video caption" and §6 ``video-caption-unrendered`` (S6, S13).

    Decision: info; the schema allows the field, its rendering is unknown.

    Fails:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, caption: Watch}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB}
    """

    code, name, severity = "VB228", "video-caption-unrendered", Severity.INFO

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            cap = _caption(c)
            if cap is not None and cap.strip():
                yield Finding(cpath + ("text",), "video caption may not be shown: Viber's video message has no text",
                              help="send the text as a separate TEXT message if it matters")


class VideoThumbnailUrlInvalidRule(Rule):
    """A video ``thumbnailUrl`` is given but is not an absolute http(s) URL.

    Why: Viber downloads the thumbnail from this URL; a relative path, another scheme or a
    URL with spaces cannot be fetched.

    Source: constraints.md §6 ``url-invalid`` (S6 ``ViberBotOutboundVideoContent.thumbnailUrl``,
    S13).

    Fails:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, thumbnail: "v.jpg"}

    Passes:

        video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, thumbnail: "https://cdn.example.com/v.jpg"}
    """

    code, name, severity = "VB229", "video-thumbnail-url-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "VIDEO"):
            f = _url_finding(cpath, c, "thumbnailUrl", False, "video thumbnailUrl")
            if f:
                yield f


# =========================================================================== FILE


def _file_name(c: dict) -> str | None:
    v = c.get("fileName")
    return v if isinstance(v, str) else None


class FileUrlInvalidRule(Rule):
    """A file message has no ``url``, or it is not an absolute http(s) URL.

    Why: ``url`` is required for FILE content and Viber downloads the file from it.

    Source: constraints.md §6 ``url-invalid`` (S6 ``ViberBotOutboundFileContent``: ``url``
    required; S13).

    Fails:

        file: {url: report.pdf, name: report.pdf, size: 120KiB}

    Passes:

        file: {url: "https://cdn.example.com/report.pdf", name: report.pdf, size: 120KiB}
    """

    code, name, severity = "VB230", "file-url-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "FILE"):
            f = _url_finding(cpath, c, "url", True, "file url")
            if f:
                yield f


class FileNameMissingRule(Rule):
    """A file message has no ``fileName``, or it is empty.

    Why: ``fileName`` is required for FILE content in Infobip's schema and in Viber's API;
    it is the name the recipient sees and saves.

    Source: constraints.md §2 "File name is required" (S1, S6 ``ViberBotOutboundFileContent``,
    S13).

    Fails (raw body): ``{"type": "FILE", "url": "https://cdn.example.com/r.pdf", "size": 1000}``

    Passes:

        file: {url: "https://cdn.example.com/r.pdf", name: report.pdf, size: 120KiB}
    """

    code, name, severity = "VB231", "file-name-missing", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "FILE"):
            if "fileName" not in c or c["fileName"] is None:
                yield Finding(cpath, "FILE content has no `fileName`; it is required",
                              help="name the file, including its extension, e.g. report.pdf")
                continue
            v = c["fileName"]
            if not isinstance(v, str):
                yield Finding(cpath + ("fileName",), f"fileName {describe(v)} is not a string")
            elif not v.strip():
                yield Finding(cpath + ("fileName",), "fileName is empty",
                              help="name the file, including its extension, e.g. report.pdf")


class FileNameTooLongRule(Rule):
    """A file name is longer than 256 characters (including the extension).

    Why: ``ViberBotOutboundFileContent.fileName`` has ``maxLength: 256`` and Viber counts the
    extension in that limit.

    Source: constraints.md §2 "File name …" and §6 ``file-name-too-long`` (S1, S6, S13).

    Fails:

        file: {url: "https://cdn.example.com/r.pdf", name: "… 260 characters ….pdf", size: 120KiB}

    Passes:

        file: {url: "https://cdn.example.com/r.pdf", name: report.pdf, size: 120KiB}
    """

    code, name, severity = "VB232", "file-name-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "FILE"):
            name = _file_name(c)
            if name is not None and length(name) > FILE_NAME_MAX:
                yield Finding(cpath + ("fileName",),
                              f"fileName is {length(name)} characters; the limit is {FILE_NAME_MAX} including the extension",
                              help="shorten the name and keep the extension")


class FileNameMissingExtensionRule(Rule):
    """A file name has no extension (e.g. ``report`` instead of ``report.pdf``).

    Why: Infobip and Viber say the name should carry the extension, because some devices
    cannot open a file without it.

    Source: constraints.md §2 "File name … should carry the extension" and §6
    ``file-name-missing-extension`` (S1, S13).

    Fails:

        file: {url: "https://cdn.example.com/r.pdf", name: report, size: 120KiB}

    Passes:

        file: {url: "https://cdn.example.com/r.pdf", name: report.pdf, size: 120KiB}
    """

    code, name, severity = "VB233", "file-name-missing-extension", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "FILE"):
            name = _file_name(c)
            if name is not None and name.strip() and not file_extension(name):
                yield Finding(cpath + ("fileName",),
                              f"fileName {describe(name)} has no extension; some devices cannot open it",
                              help="add the extension, e.g. report.pdf")


class FileForbiddenExtensionRule(Rule):
    """The file name or URL has an extension Viber blocks (EXE, APK, BAT, MSI, PS1, VBS, …).

    Why: Viber refuses to deliver executable and script formats; the message fails.

    Source: constraints.md §2 "Forbidden file extensions (Viber)" and §6
    ``file-forbidden-extension`` (S18, Viber's forbidden file formats).

    Decision: the file name is what the recipient saves, so it is checked first; the URL's
    extension is checked when the name has none of its own on the list. One finding per
    message.

    Fails:

        file: {url: "https://cdn.example.com/setup.exe", name: setup.exe, size: 2MiB}

    Passes:

        file: {url: "https://cdn.example.com/setup.zip", name: setup.zip, size: 2MiB}
    """

    code, name, severity = "VB234", "file-forbidden-extension", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "FILE"):
            name = _file_name(c)
            name_ext = file_extension(name) if name else ""
            if name_ext in FILE_FORBIDDEN_EXTENSIONS:
                yield Finding(cpath + ("fileName",), f"Viber does not deliver .{name_ext} files",
                              help="send a document format, or a link to a download page as a URL message")
                continue
            url = _valid_url(c, "url")
            url_ext = url_extension(url) if url else ""
            if url_ext in FILE_FORBIDDEN_EXTENSIONS:
                yield Finding(cpath + ("url",), f"file url names a .{url_ext} file, which Viber does not deliver",
                              help="send a document format, or a link to a download page as a URL message")


class FileFormatNotListedRule(Rule):
    """The file name's extension is not one Infobip lists (pdf, doc(x), ppt(x), xls(x)).

    Why: Infobip's message-types page lists these formats for file messages. Other formats
    may work on Viber, but are not documented by Infobip.

    Source: constraints.md §2 "File formats Infobip lists" and §6 ``file-format-not-listed``
    (S1).

    Decision: the source does not say whether the list is an allow-list or examples, so this
    is a warning. Names without an extension (VB233) or with a forbidden one (VB234) are left
    to those rules.

    Fails:

        file: {url: "https://cdn.example.com/data.csv", name: data.csv, size: 10KiB}

    Passes:

        file: {url: "https://cdn.example.com/data.xlsx", name: data.xlsx, size: 10KiB}
    """

    code, name, severity = "VB235", "file-format-not-listed", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "FILE"):
            name = _file_name(c)
            ext = file_extension(name) if name else ""
            if ext and ext not in FILE_LISTED_EXTENSIONS and ext not in FILE_FORBIDDEN_EXTENSIONS:
                yield Finding(cpath + ("fileName",),
                              f".{ext} is not one of the formats Infobip lists for files "
                              "(pdf, doc, docx, ppt, pptx, xls, xlsx)",
                              help="check that recipients can open it, or convert it to PDF")


class FileExtensionMismatchRule(Rule):
    """The file name's extension differs from the extension of the URL's last path segment.

    Why: the recipient's device opens the file by the name's extension; if the URL serves a
    different format (``report.pdf`` pointing at ``.docx``), the file will not open. Spellings
    of the same format (.jpg/.jpeg, .tif/.tiff, .htm/.html) count as equal.

    Source: constraints.md §6 ``file-extension-mismatch``; §2 "the file URL should include the
    extension" (S13).

    Decision: warning; it is inferred and URLs without an extension are not compared.

    Fails:

        file: {url: "https://cdn.example.com/r.docx", name: report.pdf, size: 120KiB}

    Passes:

        file: {url: "https://cdn.example.com/r.pdf", name: report.pdf, size: 120KiB}
    """

    code, name, severity = "VB236", "file-extension-mismatch", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "FILE"):
            name = _file_name(c)
            url = _valid_url(c, "url")
            if not name or not url:
                continue
            a, b = file_extension(name), url_extension(url)
            if a and b and _SAME_FORMAT.get(a, a) != _SAME_FORMAT.get(b, b):
                yield Finding(cpath + ("fileName",),
                              f"fileName ends in .{a} but the url names a .{b} file",
                              help="make the name's extension match the file that is sent")


class FileSizeInvalidRule(Rule):
    """A file's ``size`` is missing, not a whole number, or not positive.

    Why: ``size`` (bytes) is required for FILE content in Infobip's schema and in Viber's API;
    zero or a negative size cannot be right.

    Source: constraints.md §2 "File size … ``size`` is required" and §6 ``video-size-missing``
    ("and for file") (S6 ``ViberBotOutboundFileContent``, S13).

    Fails:

        file: {url: "https://cdn.example.com/r.pdf", name: report.pdf, size: 0}

    Passes:

        file: {url: "https://cdn.example.com/r.pdf", name: report.pdf, size: 120KiB}
    """

    code, name, severity = "VB237", "file-size-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "FILE"):
            f = _size_finding(cpath, c, "file")
            if f:
                yield f


class FileTooLargeRule(Rule):
    """A file's ``size`` is over 52,428,800 bytes (50 MiB).

    Why: Infobip's schema sets ``maximum: 52428800`` for the file size and Viber documents a
    50 MB limit; larger files are rejected.

    Source: constraints.md §2 "File size" and §6 ``file-too-large`` (S1, S6
    ``ViberBotOutboundFileContent.size``, S13).

    Fails:

        file: {url: "https://cdn.example.com/r.pdf", name: report.pdf, size: 60MiB}

    Passes:

        file: {url: "https://cdn.example.com/r.pdf", name: report.pdf, size: 50MiB}
    """

    code, name, severity = "VB238", "file-too-large", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "FILE"):
            v = c.get("size")
            if is_int(v) and v > FILE_MAX_BYTES:
                yield Finding(cpath + ("size",),
                              f"file size is {v:,} bytes; the limit is {FILE_MAX_BYTES:,} bytes (50 MiB)",
                              help="compress the file or send a link to it as a URL message")


RULES = (
    ImageCaptionTooLongRule,
    ImageCaptionOverProseLimitRule,
    ImageUrlInvalidRule,
    ImageUrlBadExtensionRule,
    ImageAnimatedGifRule,
    ImageThumbnailUrlInvalidRule,
    VideoUrlInvalidRule,
    VideoUrlNotMp4Rule,
    VideoSizeInvalidRule,
    VideoTooLargeRule,
    VideoDurationTooLongRule,
    VideoDurationInvalidRule,
    VideoThumbnailNotJpegRule,
    VideoCaptionTooLongRule,
    VideoCaptionUnrenderedRule,
    VideoThumbnailUrlInvalidRule,
    FileUrlInvalidRule,
    FileNameMissingRule,
    FileNameTooLongRule,
    FileNameMissingExtensionRule,
    FileForbiddenExtensionRule,
    FileFormatNotListedRule,
    FileExtensionMismatchRule,
    FileSizeInvalidRule,
    FileTooLargeRule,
)

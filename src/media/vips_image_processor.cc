#include "media/vips_image_processor.h"

#include <vips/vips.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include "domain/errors.h"

namespace orgd::media {
namespace {

struct Format {
  const char* content_type;
  const char* loader;  // the libvips class that must claim the bytes
};

constexpr Format kPng{"image/png", "VipsForeignLoadPngBuffer"};
constexpr Format kJpeg{"image/jpeg", "VipsForeignLoadJpegBuffer"};
constexpr Format kGif{"image/gif", "VipsForeignLoadNsgifBuffer"};
constexpr Format kWebp{"image/webp", "VipsForeignLoadWebpBuffer"};

bool StartsWith(std::string_view bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

const Format* AcceptedFormat(std::string_view bytes) {
  if (StartsWith(bytes, std::string_view("\x89PNG\r\n\x1a\n", 8))) return &kPng;
  if (StartsWith(bytes, "\xFF\xD8\xFF")) return &kJpeg;
  if (StartsWith(bytes, "GIF87a") || StartsWith(bytes, "GIF89a")) return &kGif;
  if (bytes.size() >= 12 && StartsWith(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP") {
    return &kWebp;
  }
  return nullptr;
}

void DropWarnings(const gchar*, GLogLevelFlags, const gchar*, gpointer) {}

void InitVipsOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("orgd") != 0) vips_error_exit("orgd: cannot initialise libvips");
    vips_block_untrusted_set(TRUE);
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, DropWarnings, nullptr);
  });
}

// Takes the text of libvips' (process-wide) error buffer and clears it.
std::string TakeVipsError() {
  std::string text = vips_error_buffer();
  vips_error_clear();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

struct ImageUnref {
  void operator()(VipsImage* image) const { g_object_unref(image); }
};
using ImagePtr = std::unique_ptr<VipsImage, ImageUnref>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};

// Removes every metadata item (EXIF, XMP, IPTC, ICC, comments, …) from a copy of `image`. The
// savers' own "strip" is not enough: libvips 8.14's webpsave keeps EXIF and XMP regardless (and
// still writes a small EXIF block of its own: dimensions, orientation, resolution, nothing from
// the upload).
Result<ImagePtr> WithoutMetadata(VipsImage* image) {
  VipsImage* copy = nullptr;
  if (vips_copy(image, &copy, nullptr) != 0) return errors::Internal(TakeVipsError());
  ImagePtr out(copy);
  static constexpr std::string_view kCore[] = {
      "width",          "height",  "bands",   "format", "coding",
      "interpretation", "xoffset", "yoffset", "xres",   "yres"};
  gchar** fields = vips_image_get_fields(out.get());
  for (gchar** f = fields; *f != nullptr; ++f) {
    std::string_view name(*f);
    if (std::find(std::begin(kCore), std::end(kCore), name) == std::end(kCore)) {
      vips_image_remove(out.get(), *f);
    }
  }
  g_strfreev(fields);
  return out;
}

Error Undecodable(std::string_view content_type) {
  Error e = errors::RequestBodyInvalid("The uploaded " + std::string(content_type) +
                                       " image could not be decoded; it is "
                                       "corrupt or truncated.");
  e.detail = TakeVipsError();
  return e;
}

}  // namespace

std::string SniffContentType(std::string_view bytes) {
  if (const Format* f = AcceptedFormat(bytes)) return f->content_type;
  if (StartsWith(bytes, "%PDF")) return "application/pdf";
  if (StartsWith(bytes, "BM")) return "image/bmp";
  if (StartsWith(bytes, "II*") || StartsWith(bytes, "MM")) return "image/tiff";
  if (bytes.size() >= 12 && bytes.substr(4, 4) == "ftyp") {
    std::string_view brand = bytes.substr(8, 4);
    if (brand == "avif" || brand == "avis") return "image/avif";
    if (brand == "heic" || brand == "heix" || brand == "mif1") return "image/heic";
  }
  std::string_view head = bytes.substr(0, std::min<size_t>(bytes.size(), 512));
  if (head.find("<svg") != std::string_view::npos) return "image/svg+xml";
  return "application/octet-stream";
}

VipsImageProcessor::VipsImageProcessor(ImageLimits limits) : limits_(limits) { InitVipsOnce(); }

Result<NormalizedImage> VipsImageProcessor::Normalize(std::string_view input) {
  const Format* format = AcceptedFormat(input);
  if (format == nullptr) {
    return errors::RequestBodyInvalid("'" + SniffContentType(input) +
                                      "' images are not currently supported");
  }
  // The bytes must also be claimed by exactly the loader their magic names.
  const char* loader = vips_foreign_find_load_buffer(input.data(), input.size());
  if (loader == nullptr || std::strcmp(loader, format->loader) != 0) {
    return Undecodable(format->content_type);
  }

  // Read the header only (libvips is lazy) to refuse decompression bombs before decoding.
  {
    VipsImage* raw = vips_image_new_from_buffer(input.data(), input.size(), "", "access",
                                                VIPS_ACCESS_SEQUENTIAL, nullptr);
    if (raw == nullptr) return Undecodable(format->content_type);
    ImagePtr header(raw);
    const int64_t pixels = static_cast<int64_t>(vips_image_get_width(raw)) *
                           vips_image_get_height(raw) * std::max(1, vips_image_get_n_pages(raw));
    if (pixels > limits_.max_input_pixels) {
      return errors::RequestBodyInvalid(
          "The image is too large: it has " + std::to_string(pixels) + " pixels, at most " +
          std::to_string(limits_.max_input_pixels) + " are accepted.");
    }
  }

  // Decode (the first frame of an animation), shrink to fit, never enlarge. fail_on=error turns
  // truncated or corrupt data into an error instead of a partly grey image.
  VipsImage* raw = nullptr;
  if (vips_thumbnail_buffer(const_cast<char*>(input.data()), input.size(), &raw,
                            limits_.max_dimension, "height", limits_.max_dimension, "size",
                            VIPS_SIZE_DOWN, "option_string", "fail_on=error", nullptr) != 0) {
    return Undecodable(format->content_type);
  }
  ImagePtr decoded(raw);
  auto stripped = WithoutMetadata(decoded.get());
  if (!stripped) return stripped.error();
  ImagePtr image = std::move(*stripped);

  // Encoding runs the lazy pipeline, so decode errors can surface here too. "strip" drops EXIF,
  // XMP, IPTC, ICC and comments.
  void* out = nullptr;
  size_t out_len = 0;
  int rc = -1;
  if (format == &kJpeg) {
    rc = vips_jpegsave_buffer(image.get(), &out, &out_len, "Q", 85, "strip", TRUE, nullptr);
  } else if (format == &kPng) {
    rc = vips_pngsave_buffer(image.get(), &out, &out_len, "strip", TRUE, nullptr);
  } else if (format == &kWebp) {
    rc = vips_webpsave_buffer(image.get(), &out, &out_len, "Q", 85, "strip", TRUE, nullptr);
  } else {
    // GIF keeps its first frame only: a logo is a still image.
    rc = vips_gifsave_buffer(image.get(), &out, &out_len, "strip", TRUE, nullptr);
  }
  std::unique_ptr<void, GFree> owned(out);
  if (rc != 0) {
    // The pipeline decodes while it encodes; with a valid decoded image the encoders do not
    // fail, so a failure here means the input was bad after its header.
    return Undecodable(format->content_type);
  }
  NormalizedImage result;
  result.bytes.assign(static_cast<const char*>(out), out_len);
  result.content_type = format->content_type;
  result.width = vips_image_get_width(image.get());
  result.height = vips_image_get_height(image.get());
  return result;
}

}  // namespace orgd::media

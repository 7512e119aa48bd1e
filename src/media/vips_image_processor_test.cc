#include "media/vips_image_processor.h"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <functional>
#include <future>
#include <thread>

namespace orgd::media {
namespace {

// Test images are made with libvips itself. Each helper returns the encoded bytes.
using Saver = std::function<int(VipsImage*, void**, size_t*)>;

std::string Encode(int width, int height, const Saver& save, bool with_metadata = false) {
  VipsImage* image = nullptr;
  EXPECT_EQ(vips_xyz(&image, width, height, nullptr), 0);
  VipsImage* cast = nullptr;
  EXPECT_EQ(vips_cast_uchar(image, &cast, nullptr), 0);
  g_object_unref(image);
  if (with_metadata) {
    vips_image_set_string(cast, "exif-ifd0-ImageDescription", "secret location");
    const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'>secret</x:xmpmeta>";
    vips_image_set_blob_copy(cast, "xmp-data", xmp, sizeof xmp - 1);
    vips_image_set_string(cast, "png-comment-0-Comment", "secret comment");
  }
  void* buf = nullptr;
  size_t len = 0;
  EXPECT_EQ(save(cast, &buf, &len), 0) << vips_error_buffer();
  g_object_unref(cast);
  std::string out(static_cast<char*>(buf), len);
  g_free(buf);
  return out;
}

const Saver kPng = [](VipsImage* i, void** b, size_t* l) {
  return vips_pngsave_buffer(i, b, l, nullptr);
};
const Saver kJpeg = [](VipsImage* i, void** b, size_t* l) {
  return vips_jpegsave_buffer(i, b, l, nullptr);
};
const Saver kGif = [](VipsImage* i, void** b, size_t* l) {
  return vips_gifsave_buffer(i, b, l, nullptr);
};
const Saver kWebp = [](VipsImage* i, void** b, size_t* l) {
  return vips_webpsave_buffer(i, b, l, nullptr);
};

// Decodes `bytes` and reports whether any of the metadata the test planted survived. (libvips
// 8.14's webpsave always writes a small generated EXIF block with only dimensions, orientation
// and resolution; that carries nothing from the upload, so the test looks for the planted items.)
bool HasPlantedMetadata(const std::string& bytes) {
  if (bytes.find("secret") != std::string::npos) return true;
  VipsImage* image = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
  if (image == nullptr) return false;
  bool found = false;
  for (const char* field :
       {"exif-ifd0-ImageDescription", "xmp-data", "iptc-data", "png-comment-0-Comment"}) {
    found |= vips_image_get_typeof(image, field) != 0;
  }
  g_object_unref(image);
  return found;
}

class VipsImageProcessorTest : public ::testing::Test {
 protected:
  VipsImageProcessor processor_{ImageLimits{}};
};

TEST_F(VipsImageProcessorTest, AcceptsTheFourFormatsAndKeepsTheirFamily) {
  struct Case {
    const Saver& save;
    const char* type;
  };
  for (const Case& c : {Case{kPng, "image/png"}, Case{kJpeg, "image/jpeg"}, Case{kGif, "image/gif"},
                        Case{kWebp, "image/webp"}}) {
    auto out = processor_.Normalize(Encode(40, 30, c.save));
    ASSERT_TRUE(out) << c.type << ": " << out.error().long_message << " " << out.error().detail;
    EXPECT_EQ(out->content_type, c.type);
    EXPECT_EQ(SniffContentType(out->bytes), c.type);
    EXPECT_EQ(out->width, 40);
    EXPECT_EQ(out->height, 30);
  }
}

TEST_F(VipsImageProcessorTest, ShrinksLargeImagesAndNeverEnlargesSmallOnes) {
  auto big = processor_.Normalize(Encode(3000, 1500, kJpeg));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->width, 1024);
  EXPECT_EQ(big->height, 512);
  auto small = processor_.Normalize(Encode(16, 8, kPng));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->width, 16);
  EXPECT_EQ(small->height, 8);
}

TEST_F(VipsImageProcessorTest, StripsMetadata) {
  for (const Saver* save : {&kJpeg, &kPng, &kWebp}) {
    std::string input = Encode(32, 32, *save, /*with_metadata=*/true);
    ASSERT_TRUE(HasPlantedMetadata(input));
    auto out = processor_.Normalize(input);
    ASSERT_TRUE(out);
    EXPECT_FALSE(HasPlantedMetadata(out->bytes)) << out->content_type;
  }
}

TEST_F(VipsImageProcessorTest, RefusesWhatIsNotASupportedImage) {
  std::string png = Encode(64, 64, kPng);
  struct Case {
    std::string bytes;
    std::string mentions;
  };
  std::vector<Case> cases = {
      {"", "application/octet-stream"},
      {"hello, this is text", "application/octet-stream"},
      {"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>", "image/svg+xml"},
      {"%PDF-1.7\n1 0 obj", "application/pdf"},
      {"BM\x36\x00\x00\x00\x00\x00", "image/bmp"},
      {png.substr(0, png.size() / 2), "could not be decoded"},
      {std::string("\x89PNG\r\n\x1a\n", 8) + "garbage garbage garbage", "could not be decoded"},
  };
  for (const Case& c : cases) {
    auto out = processor_.Normalize(c.bytes);
    ASSERT_FALSE(out) << c.mentions;
    EXPECT_EQ(out.error().clerk_code, "request_body_invalid");
    EXPECT_EQ(out.error().code, ErrorCode::kBadRequest);
    EXPECT_NE(out.error().long_message.find(c.mentions), std::string::npos)
        << out.error().long_message;
  }
}

TEST_F(VipsImageProcessorTest, RefusesDecompressionBombsByHeader) {
  VipsImageProcessor strict(ImageLimits{1024, 100 * 100});
  auto out = strict.Normalize(Encode(200, 200, kPng));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().clerk_code, "request_body_invalid");
  EXPECT_NE(out.error().long_message.find("too large"), std::string::npos);
  EXPECT_TRUE(strict.Normalize(Encode(100, 100, kPng)));
}

TEST_F(VipsImageProcessorTest, WorksFromSeveralThreads) {
  std::string jpeg = Encode(300, 200, kJpeg);
  std::vector<std::future<bool>> results;
  for (int t = 0; t < 4; ++t) {
    results.push_back(std::async(std::launch::async, [&] {
      for (int i = 0; i < 10; ++i) {
        auto out = processor_.Normalize(jpeg);
        if (!out || out->width != 300) return false;
      }
      return true;
    }));
  }
  for (auto& r : results) EXPECT_TRUE(r.get());
}

}  // namespace
}  // namespace orgd::media

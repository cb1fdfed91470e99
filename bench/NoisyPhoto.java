import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A photo-sized JPEG whose file is as large as a camera's (grain in every pixel, quality 92), so that load tests
 * move realistic bytes and decode realistic rasters: java bench/NoisyPhoto.java out.jpg 4000 3000
 */
public class NoisyPhoto {
    public static void main(String[] args) throws Exception {
        int w = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(230, 150, 60), w, h, new Color(40, 70, 160)));
        g.fillRect(0, 0, w, h);
        g.dispose();
        Random grain = new Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int n = (int) (grain.nextGaussian() * 18);
                int r = clamp((rgb >> 16 & 0xFF) + n), gr = clamp((rgb >> 8 & 0xFF) + n), b = clamp((rgb & 0xFF) + n);
                image.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(new File(args[0]))) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.92f);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        writer.dispose();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}

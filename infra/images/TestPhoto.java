import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Writes a colourful JPEG for smoke tests and the cold-start bench: java infra/images/TestPhoto.java out.jpg [W H]
 * (default 1200 x 800). Fine grain from a fixed seed keeps the file about as large as a camera's at that size, so
 * decode and upload cost what a real photo costs.
 */
public class TestPhoto {
    public static void main(String[] args) throws Exception {
        int width = args.length > 2 ? Integer.parseInt(args[1]) : 1200;
        int height = args.length > 2 ? Integer.parseInt(args[2]) : 800;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
        g.fillRect(0, 0, width, height);
        for (int x = 0; x < width; x += 12) {
            g.setColor(x % 24 == 0 ? Color.RED : Color.GREEN);
            g.drawLine(x, height * 5 / 8, x + 6, height);
        }
        g.dispose();
        Random grain = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int n = grain.nextInt(25) - 12;
                int r = clamp((rgb >> 16 & 0xff) + n), gr = clamp((rgb >> 8 & 0xff) + n), b = clamp((rgb & 0xff) + n);
                image.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        ImageIO.write(image, "jpeg", new File(args[0]));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}

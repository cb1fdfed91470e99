import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;

import javax.imageio.ImageIO;

/** Writes a colourful 1200 x 800 JPEG for smoke tests: java infra/images/TestPhoto.java out.jpg */
public class TestPhoto {
    public static void main(String[] args) throws Exception {
        BufferedImage image = new BufferedImage(1200, 800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 1200, 800, Color.BLUE));
        g.fillRect(0, 0, 1200, 800);
        for (int x = 0; x < 1200; x += 12) {
            g.setColor(x % 24 == 0 ? Color.RED : Color.GREEN);
            g.drawLine(x, 500, x + 6, 800);
        }
        g.dispose();
        ImageIO.write(image, "jpeg", new File(args[0]));
    }
}

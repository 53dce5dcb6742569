// qrcode-generator for the fans' tickets page (assets/tickets.js): bundled by esbuild into assets/qrcode.js at
// build time. It exposes only the matrix of a code; tickets.js draws it as SVG elements (no HTML strings).
import qrcode from 'qrcode-generator';

window.creatorcloudQrCode = function (text) {
  var code = qrcode(0, 'M'); // the smallest version that holds the text, medium error correction
  code.addData(text);
  code.make();
  return {
    size: code.getModuleCount(),
    isDark: function (row, column) {
      return code.isDark(row, column);
    },
  };
};

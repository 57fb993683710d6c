#!/usr/bin/env bash
# Regenerates the extraction test files with real tools (Debian packages):
#   chromium (headless --print-to-pdf) for the PDFs, qpdf for the encrypted PDF,
#   python3-docx for the Word files, python3-openpyxl for the spreadsheet.
# apt-get install -y chromium qpdf python3-docx python3-openpyxl
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pdf() { # html-file pdf-file
  chromium --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer --user-data-dir="$work/profile" \
    --print-to-pdf="$2" "file://$1" 2>/dev/null
}

cat > "$work/menu.html" <<'HTML'
<!doctype html><html><head><meta charset="utf-8"><title>Harbor Café Menu</title>
<style>body{font-family:sans-serif;font-size:11pt} h1{font-size:26pt} h2{font-size:17pt;margin-top:18pt}
.cols{column-count:2;column-gap:30pt} p{margin:4pt 0}</style></head><body>
<h1>Harbor Café Menu</h1>
<p>Open daily from 7 am to 3 pm. All prices include tax.</p>
<div class="cols">
<h2>Breakfast</h2>
<p>Buttermilk pancakes with maple syrup and butter, $9.50.</p>
<p>Avocado toast on sourdough with a poached egg, $11.00.</p>
<p>Farmhouse omelette with ham, cheddar and chives, $12.50.</p>
<h2>Lunch</h2>
<p>Grilled chicken sandwich with aioli and fries, $14.00.</p>
<p>Roasted tomato soup with a cheese scone, $8.00.</p>
<p>Harbor salad with quinoa, feta and lemon dressing, $12.00.</p>
<h2>Drinks</h2>
<p>Espresso $3.00. Cappuccino $4.25. Oat milk is available for 50 cents extra.</p>
<p>Fresh orange juice $5.00.</p>
</div>
<h2>Allergies</h2>
<p>Please tell your server about any allergies. Our kitchen handles nuts, gluten and dairy.</p>
</body></html>
HTML
pdf "$work/menu.html" "$PWD/menu.pdf"

{
  echo '<!doctype html><html><head><meta charset="utf-8"><title>Plumbing Service Handbook</title>'
  echo '<style>body{font-family:serif;font-size:11pt} h1{font-size:20pt} section{page-break-after:always}</style></head><body>'
  for i in $(seq 1 100); do
    echo "<section><h1>Chapter $i: Service topic $i</h1>"
    for j in 1 2 3 4 5 6; do
      echo "<p>Paragraph $j of chapter $i. Our licensed plumbers inspect the pipes, valves and fittings described in this chapter, explain the repair options in plain words, and give a written quote before any work starts. Emergency visits are available around the clock, and every repair carries a one-year labour warranty.</p>"
    done
    echo '</section>'
  done
  echo '</body></html>'
} > "$work/handbook.html"
pdf "$work/handbook.html" "$PWD/handbook-100-pages.pdf"

# Scanned-looking PDF: only vector shapes, no text objects.
cat > "$work/scan.html" <<'HTML'
<!doctype html><html><body><svg width="500" height="700"><rect x="20" y="20" width="460" height="40" fill="#333"/>
<rect x="20" y="90" width="400" height="12" fill="#777"/><rect x="20" y="115" width="430" height="12" fill="#777"/>
<circle cx="250" cy="400" r="120" fill="#aaa"/></svg></body></html>
HTML
pdf "$work/scan.html" "$PWD/scanned-no-text.pdf"

# Corrupt: the menu cut in half.
size=$(stat -c %s menu.pdf)
head -c $((size / 2)) menu.pdf > corrupt-truncated.pdf

# Encrypted with a user password (AES-256): cannot be opened without it.
qpdf --encrypt secret-user secret-owner 256 -- menu.pdf encrypted.pdf

/usr/bin/python3 - <<'PY'
import docx, openpyxl
d = docx.Document()
d.core_properties.title = "Bright Smile Dental Patient Guide"
d.add_heading("Bright Smile Dental Patient Guide", level=1)
d.add_paragraph("This guide answers the questions our patients ask most often.")
d.add_heading("Your first visit", level=2)
d.add_paragraph("Please arrive 15 minutes early and bring a photo ID, your insurance card and a list of your medications.")
d.add_heading("Payment", level=2)
d.add_paragraph("We take cash, all major credit cards and HSA cards. Payment is due at the time of the visit.")
d.add_heading("Fees", level=3)
t = d.add_table(rows=1, cols=3)
t.rows[0].cells[0].text, t.rows[0].cells[1].text, t.rows[0].cells[2].text = "Treatment", "Price", "Duration"
for row in [("Cleaning", "$120", "45 minutes"), ("Whitening", "$350", "90 minutes")]:
    cells = t.add_row().cells
    for c, v in zip(cells, row): c.text = v
d.add_heading("Frequently asked questions", level=2)
q = d.add_table(rows=1, cols=2)
q.rows[0].cells[0].text, q.rows[0].cells[1].text = "Question", "Answer"
for row in [("Do you see children?", "Yes, we see patients of all ages, including toddlers from their first tooth."),
            ("Is there parking?", "Yes, there is free parking behind the building."),
            ("Do you offer payment plans?", "Yes, through CareCredit, with 6 to 24 month plans.")]:
    cells = q.add_row().cells
    cells[0].text, cells[1].text = row
d.save("patient-guide.docx")

docx.Document().save("empty.docx")

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "FAQ"
ws.append(["Q", "Response", "Category"])
ws.append(["Do you take walk-ins?", "Yes, walk-ins are welcome Tuesday to Friday before 3 pm.", "Booking"])
ws.append(["How much is a men's haircut?", "A men's cut is $28 and takes about 30 minutes.", "Prices"])
ws.append(["Do you do balayage?", "Yes. Balayage starts at $180 and needs a consultation first.", "Services"])
ws.append([None, None, None])
ws.append(["Can I bring my kids?", "Children's cuts are $18 for kids under 12.", "Prices"])
ps = wb.create_sheet("Price list")
ps.append(["Service", "Price", "Time"])
ps.append(["Blow-dry", "$45", "40 min"])
ps.append(["Root colour", "$95", "75 min"])
wb.save("salon-faq.xlsx")
PY

"""Weekly retention report: read the marts, render one self-contained HTML page, keep run-to-run headlines.

data = data.collect_report_data(con)                 # small aggregating queries on marts.*
previous = output.load_previous_headline(reports_dir, data.as_of)
html = render.render_report(data, previous)          # words from labels.py, numbers from the marts and vars_in_force
path = output.write_report(html, data.headline, reports_dir, data.as_of)
"""

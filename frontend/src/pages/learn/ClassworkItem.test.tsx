import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { __resetClientStateForTests } from '../../api/client';
import type { ClassworkEntry, Submission } from '../../api/courses';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { ClassworkItem } from './ClassworkItem';

const entry: ClassworkEntry = {
  id: 'cw1',
  course_id: 'c1',
  title: 'Paint a sky',
  instructions: 'Use two blues.',
  instructions_html: '<p>Use two blues.</p>',
  due_at: null,
  max_points: 10,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  my_submission: null,
  submission_count: null,
  ungraded_count: null,
};

const submitted: Submission = {
  id: 's1',
  classwork_id: 'cw1',
  student_id: 'u1',
  text: 'I used cobalt and ultramarine.',
  attachment_ref: null,
  submitted_at: '2025-02-01T10:00:00Z',
  grade: null,
  feedback: null,
  graded_at: null,
  is_graded: false,
};

describe('ClassworkItem', () => {
  let posted: unknown[];

  beforeEach(() => {
    __resetClientStateForTests();
    posted = [];
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = String(input);
        if (url === '/api/classwork/cw1/submissions' && init?.method === 'POST') {
          posted.push(JSON.parse(String(init.body)));
          return jsonResponse(201, { ...submitted, text: 'My sky' });
        }
        return jsonResponse(401, { code: 'not_authenticated', message: 'x' });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('checks the answer before sending it, then submits', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ClassworkItem entry={entry} courseId="c1" isTeacher={false} />);
    expect(screen.getByTestId('classwork-status')).toHaveTextContent('Not submitted');

    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByText('Write your answer before submitting')).toBeInTheDocument();
    expect(posted).toHaveLength(0);

    await user.type(screen.getByRole('textbox', { name: /your answer/i }), 'My sky');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByText(/your teacher will grade it/)).toBeInTheDocument();
    expect(posted).toEqual([{ text: 'My sky' }]);
  });

  it('lets a submitted answer be edited, and shows the grade and feedback once graded', async () => {
    const user = userEvent.setup();
    const { unmount } = renderWithProviders(<ClassworkItem entry={{ ...entry, my_submission: submitted }} courseId="c1" isTeacher={false} />);
    expect(screen.getByTestId('classwork-answer')).toHaveTextContent('I used cobalt and ultramarine.');
    await user.click(screen.getByRole('button', { name: 'Edit answer' }));
    expect(screen.getByRole('textbox', { name: /your answer/i })).toHaveValue('I used cobalt and ultramarine.');
    expect(screen.getByRole('button', { name: 'Resubmit' })).toBeInTheDocument();

    const graded = { ...submitted, is_graded: true, grade: 9, feedback: 'Lovely gradient.', graded_at: '2025-02-02T10:00:00Z' };
    unmount();
    renderWithProviders(<ClassworkItem entry={{ ...entry, my_submission: graded }} courseId="c1" isTeacher={false} />);
    expect(screen.getByTestId('classwork-status')).toHaveTextContent('Graded');
    expect(screen.getByTestId('classwork-grade')).toHaveTextContent('9 / 10 points');
    expect(screen.getByTestId('classwork-feedback')).toHaveTextContent('Lovely gradient.');
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });
});
